/**
 * Safe markdown for conversation text: GFM (tables, lists), fenced code with highlighting, and
 * math through KaTeX. Nothing from the data reaches the DOM as HTML:
 * - raw HTML in the markdown is turned into plain text before rendering (it shows literally);
 * - links are live only for http and https, open in a new tab with rel="noopener noreferrer";
 *   any other scheme (javascript:, data:, ...) renders as inert text;
 * - images are never loaded (a tracking pixel or a data: trick stays text): shown as their alt
 *   text and address;
 * - KaTeX runs with trust: false (no \href, \url, \htmlClass...) and a bound on macro
 *   expansions, so a `\def` loop stops at once with an error shown in place.
 * React builds every element itself (no innerHTML), so attributes cannot smuggle handlers.
 *
 * This module (and what it imports) is a chunk of its own, loaded by markdown.tsx.
 */
import 'katex/dist/katex.min.css';
import 'highlight.js/styles/github.css';
import type { ReactNode } from 'react';
import Markdown, { type Components, type Options } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import rehypeKatex from 'rehype-katex';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import { CopyButton } from './copy-button.tsx';

/** Raw HTML nodes become text nodes: `<img onerror=...>` is shown, never parsed. */
interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}
function remarkHtmlAsText() {
  return (tree: MdNode) => {
    const visit = (node: MdNode) => {
      if (node.type === 'html') node.type = 'text';
      if (!node.children) return;
      // Chat text breaks lines with a single newline: keep them (markdown would join them).
      node.children = node.children.flatMap((child) => {
        visit(child);
        if ((child.type !== 'text' && child.type !== 'html') || !child.value?.includes('\n')) return [child];
        return child.value
          .split('\n')
          .flatMap((part, i) => [...(i > 0 ? [{ type: 'break' }] : []), { type: 'text', value: part }]);
      });
    };
    visit(tree);
  };
}

export function safeHref(href: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const components: Components = {
  a({ href, children }) {
    const safe = safeHref(href);
    if (!safe) return <span className="md-inert-link">{children}</span>;
    return (
      <a href={safe} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    );
  },
  img({ alt, src }) {
    return (
      <span className="md-image">
        [image: {alt || 'no description'}
        {src ? ` (${src})` : ''}]
      </span>
    );
  },
  pre({ children, node }) {
    const code = textOf(node);
    return (
      <div className="md-code">
        <CopyButton text={code} />
        <pre>{children}</pre>
      </div>
    );
  },
  table({ children }) {
    return (
      <div className="md-table">
        <table>{children}</table>
      </div>
    );
  },
};

function textOf(node: unknown): string {
  const n = node as { type?: string; value?: string; children?: unknown[] } | undefined;
  if (!n) return '';
  if (n.type === 'text') return n.value ?? '';
  return (n.children ?? []).map(textOf).join('');
}

const KATEX = { trust: false, maxExpand: 200, maxSize: 20, throwOnError: false, strict: 'ignore' } as const;

// rehype-highlight registers its 37 grammars each time the plugin is attached, and react-markdown
// attaches plugins on every render: that was most of the editor's script time on a long row. The
// transformer depends only on its options, so one serves every render.
let highlighter: ReturnType<typeof rehypeHighlight> | undefined;
function sharedHighlight() {
  highlighter ??= rehypeHighlight({ detect: false });
  return highlighter;
}
// Only a fenced block with a language is highlighted (no detection; raw HTML is text).
const FENCE = /```|~~~/;

const REMARK: Options['remarkPlugins'] = [
  remarkHtmlAsText,
  remarkGfm,
  [remarkMath, { singleDollarTextMath: true }],
];
const REHYPE: Options['rehypePlugins'] = [[rehypeKatex, KATEX]];
const REHYPE_CODE: Options['rehypePlugins'] = [[rehypeKatex, KATEX], sharedHighlight];

/** The markdown of `text` as React elements (the caller gives the `.md` box). */
export function MarkdownBody({ text }: { text: string }): ReactNode {
  return (
    <Markdown
      remarkPlugins={REMARK}
      rehypePlugins={FENCE.test(text) ? REHYPE_CODE : REHYPE}
      components={components}
      skipHtml={false}
    >
      {text}
    </Markdown>
  );
}
