/**
 * A second SDK client for file uploads whose transport is XMLHttpRequest: fetch cannot report
 * upload progress over HTTP/1.1, XHR can. Every other call goes through the app's one client.
 */
import { Client } from '@prefer/sdk';

type Progress = (sent: number, total: number) => void;

let onProgress: Progress | null = null;

function xhrFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(init.method ?? 'GET', String(input));
    xhr.withCredentials = true;
    xhr.responseType = 'blob';
    new Headers(init.headers).forEach((value, name) => {
      xhr.setRequestHeader(name, value);
    });
    const report = onProgress;
    if (report) xhr.upload.onprogress = (e) => report(e.loaded, e.total);
    xhr.onload = () => {
      const headers = new Headers();
      for (const line of xhr.getAllResponseHeaders().trim().split(/\r?\n/)) {
        const at = line.indexOf(':');
        if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
      }
      resolve(new Response(xhr.response as Blob, { status: xhr.status, headers }));
    };
    xhr.onerror = () => reject(new TypeError('network error'));
    xhr.ontimeout = () => reject(new TypeError('network timeout'));
    init.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send((init.body ?? null) as XMLHttpRequestBodyInit | null);
  });
}

const uploader = new Client({
  endpoint: window.location.origin,
  session: true,
  maxRetries: 0,
  requestTimeoutMs: 10 * 60_000,
  fetch: xhrFetch as typeof fetch,
});

/** Runs one upload through the XHR client, reporting its progress. */
export async function withUploadProgress<T>(progress: Progress, send: (c: Client) => Promise<T>): Promise<T> {
  onProgress = progress;
  try {
    return await send(uploader);
  } finally {
    onProgress = null;
  }
}
