/**
 * Word differences between two responses, for "show differences": each text split into words
 * and spaces, the longest common subsequence of the middle (after the shared prefix and suffix)
 * kept plain and the rest marked. The table is bounded: beyond it the whole middle is marked,
 * which is right for texts that different anyway.
 */
export interface Piece {
  text: string;
  changed: boolean;
}

const MAX_CELLS = 4_000_000;

const tokens = (s: string) => s.match(/\s+|[^\s]+/g) ?? [];

export function wordDiff(a: string, b: string): { a: Piece[]; b: Piece[] } {
  const x = tokens(a);
  const y = tokens(b);
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  const mx = x.slice(start, endX);
  const my = y.slice(start, endY);
  const keepX = new Array<boolean>(mx.length).fill(false);
  const keepY = new Array<boolean>(my.length).fill(false);
  if (mx.length * my.length <= MAX_CELLS) lcs(mx, my, keepX, keepY);
  const build = (all: string[], mid: string[], keep: boolean[], end: number): Piece[] => [
    ...all.slice(0, start).map((text) => ({ text, changed: false })),
    // Whitespace is never marked: only words differ.
    ...mid.map((text, i) => ({ text, changed: !keep[i] && text.trim() !== '' })),
    ...all.slice(end).map((text) => ({ text, changed: false })),
  ];
  return { a: merge(build(x, mx, keepX, endX)), b: merge(build(y, my, keepY, endY)) };
}

function lcs(x: string[], y: string[], keepX: boolean[], keepY: boolean[]): void {
  const n = x.length;
  const m = y.length;
  const w = m + 1;
  const t = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      t[i * w + j] =
        x[i] === y[j] ? t[(i + 1) * w + j + 1]! + 1 : Math.max(t[(i + 1) * w + j]!, t[i * w + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      keepX[i++] = true;
      keepY[j++] = true;
    } else if (t[(i + 1) * w + j]! >= t[i * w + j + 1]!) i++;
    else j++;
  }
}

/** Neighbouring pieces of one kind joined (spaces between two changed words join them). */
function merge(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out.at(-1);
    if (last && last.changed === p.changed) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}
