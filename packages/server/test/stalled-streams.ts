/**
 * An HTTP client that opens a response and then stops reading, as a stalled or hostile reader
 * does: a raw socket that reads the status line and headers, then pauses (the kernel's buffers
 * fill and the server's writes wait). `finish()` reads the rest and says whether the body ended
 * as a complete chunked response or was cut.
 */
import { connect, type Socket } from 'node:net';
import type { Store } from '../src/store/store.ts';

/** A conversation whose first message is `bytes` long (the others labelable, as in the tests). */
export function bigConversation(bytes: number): string {
  const messages = ['m1', 'm2', 'm3'].map((messageId) => ({
    messageId,
    content: messageId === 'm1' ? 'x'.repeat(bytes) : `message ${messageId}`,
    user: { userId: 'u', name: 'user' },
    ...(messageId === 'm1' ? {} : { canLabel: true }),
  }));
  return JSON.stringify({ type: 'application/vnd.labelbox.conversational', version: 1, messages });
}

/** Gives rows a 400 KB conversation each: 50 rows make a 20 MB export, beyond socket buffers. */
export async function growRows(store: Store, rowIds: readonly string[], bytes = 400_000): Promise<void> {
  const rowData = bigConversation(bytes);
  await store.write(async (tx) => {
    for (const id of rowIds) {
      await tx.updateTable('data_rows').set({ row_data: rowData }).where('id', '=', id).execute();
    }
  });
}

export interface StalledResponse {
  status: number;
  headers: string;
  /** Resolves when the socket closes (it must be resumed, by `finish`, to see the end). */
  finish(): Promise<{ complete: boolean; bytes: number }>;
  destroy(): void;
}

export function stalledPost(url: string, path: string, headers: Record<string, string>, body: string) {
  const { hostname, port } = new URL(url);
  return new Promise<StalledResponse>((resolve, reject) => {
    const socket: Socket = connect(Number(port), hostname);
    let head = Buffer.alloc(0);
    let tail = Buffer.alloc(0);
    let bytes = 0;
    let gotHead = false;
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (gotHead) {
        tail = Buffer.concat([tail, chunk]).subarray(-16);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      gotHead = true;
      // From here on nothing is read until finish(): the reader has stalled.
      socket.pause();
      tail = head.subarray(end + 4).subarray(-16);
      const text = head.subarray(0, end).toString('latin1');
      resolve({
        status: Number(text.split(' ')[1]),
        headers: text,
        async finish() {
          socket.resume();
          await closed;
          return { complete: tail.toString('latin1').endsWith('0\r\n\r\n'), bytes };
        },
        destroy: () => socket.destroy(),
      });
    });
    socket.once('close', () => {
      if (!gotHead) reject(new Error(`connection closed before a response: ${head.toString('latin1')}`));
    });
    const lines = [
      `POST ${path} HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      ...Object.entries({ ...headers, 'Content-Length': String(Buffer.byteLength(body)) }).map(
        ([k, v]) => `${k}: ${v}`,
      ),
      'Connection: close',
      '',
      '',
    ];
    socket.write(lines.join('\r\n') + body);
  });
}
