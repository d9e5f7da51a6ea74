/**
 * Read-ahead for pages read over a network connection (PostgreSQL): the read of page k+1 is sent
 * as soon as page k is handed over, so the database finds, detoasts and sends the next rows while
 * this process assembles and writes the current ones, instead of both sides taking turns.
 * At most two pages are held: the one being assembled and the one arriving.
 * Queries the consumer makes meanwhile on the same connection (a page's labels, unknown users)
 * wait behind the read in the connection's queue: correct, only less overlapped.
 */
export async function* readAhead<T>(pages: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = pages.next();
  // A failed read ahead is rethrown when its page is awaited, not reported as unhandled while
  // the current page is still being written.
  next.catch(() => {});
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = pages.next();
      next.catch(() => {});
      yield r.value;
    }
  } finally {
    // The consumer stopped early (an error, a cancelled stream): end the source too, once the
    // read in flight has settled.
    await next.catch(() => {});
    await pages.return(undefined);
  }
}
