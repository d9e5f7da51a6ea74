/**
 * The little SVG the charts need, as text. Every string from the data (model names, questions,
 * emails) goes through `esc`, so a name like `<script>` or `a"b` stays text.
 */
export function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`,
  );
}

export const num = (v: number) => (Math.round(v * 10) / 10).toString();

export function svg(width: number, height: number, body: string[], title: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="sans-serif" font-size="12">
<title>${esc(title)}</title>
<rect width="100%" height="100%" fill="white"/>
${body.join('\n')}
</svg>
`;
}

export function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${num(x)}" y="${num(y)}"${attrs ? ` ${attrs}` : ''}>${esc(s)}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, attrs = 'stroke="#333"'): string {
  return `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" ${attrs}/>`;
}

export function rect(x: number, y: number, w: number, h: number, fill: string, tip?: string): string {
  const t = tip ? `<title>${esc(tip)}</title>` : '';
  return `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="${fill}">${t}</rect>`;
}

/** White (0) to blue (1); grey for no data. */
export function shade(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '#eeeeee';
  const t = Math.max(0, Math.min(1, v));
  const c = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${c(247, 8)},${c(251, 81)},${c(255, 156)})`;
}
