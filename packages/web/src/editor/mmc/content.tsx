/**
 * A v2 message's content items: text as safe markdown; a file as a plain link (http and https
 * only, opened in a new tab without referrer) or, for any other address, inert text. The file is
 * never fetched by prefer, nor loaded inline by the page.
 */
import type { ContentItem } from '@prefer/schemas';
import Markdown from '../../markdown/markdown.tsx';

const safeUrl = (uri: string) => {
  try {
    const url = new URL(uri);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
};

export function MessageContent({ items }: { items: readonly ContentItem[] }) {
  return (
    <>
      {items.map((item, i) => {
        if (item.type === 'text') {
          // biome-ignore lint/suspicious/noArrayIndexKey: a message's items have no ids
          return <Markdown key={i} text={item.content} />;
        }
        if (item.type === 'fileData') {
          const href = safeUrl(String(item.fileUri));
          const label = `${String(item.mimeType)} file`;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: a message's items have no ids
            <p key={i} className="mmc-file">
              {href ? (
                <a href={href} target="_blank" rel="noopener noreferrer">
                  {label}: {href}
                </a>
              ) : (
                <span>
                  {label}: {String(item.fileUri)}
                </span>
              )}
            </p>
          );
        }
        return null;
      })}
    </>
  );
}
