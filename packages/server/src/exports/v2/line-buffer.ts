/**
 * Lines written straight into UTF-8 bytes. An engine `put`s the pieces of a line (stored
 * fragments and small literals) and `end`s it; whole lines leave in chunks of about `size`
 * bytes. No line is built as a string first: concatenating a 5 KB line from a dozen pieces makes
 * a rope that must be flattened and then encoded again, which cost more than reading the rows.
 * A row that fails halfway is dropped with `abandon`; a chunk never holds part of a line.
 * One buffer serves the whole export, so a long export makes no garbage here.
 */

/**
 * Where whole lines go: UTF-8, each ending in `\n`, `lines` of them. The chunk is only valid
 * during the call (its bytes are reused next): a sink that keeps it must copy it. A returned
 * promise is backpressure: the producer waits for it before writing more.
 */
export type ChunkSink = (chunk: Buffer, lines: number) => void | Promise<void>;

/** 1 MiB: large enough that a write costs little per line, small enough to keep memory flat. */
export const DEFAULT_CHUNK_BYTES = 1 << 20;

export class LineBuffer {
  readonly #sink: ChunkSink;
  readonly #size: number;
  #buf: Buffer;
  #off = 0;
  #lineStart = 0;
  #lines = 0;
  /** The sink's answer to a hand-over made inside `put`, returned by the next `end`. */
  #waiting: void | Promise<void> = undefined;

  constructor(sink: ChunkSink, size = DEFAULT_CHUNK_BYTES) {
    this.#sink = sink;
    this.#size = size;
    this.#buf = Buffer.allocUnsafe(size);
  }

  /** Appends text, or UTF-8 bytes as they are (a fragment read through COPY), to the current line. */
  put(text: string | Buffer): void {
    if (typeof text !== 'string') {
      if (this.#off + text.length > this.#buf.length) this.#makeRoom(text.length);
      this.#off += text.copy(this.#buf, this.#off);
      return;
    }
    // A UTF-16 unit never takes more than 3 UTF-8 bytes.
    if (this.#off + text.length * 3 > this.#buf.length) this.#makeRoom(text.length * 3);
    this.#off += this.#buf.write(text, this.#off);
  }

  /** Ends the current line. Returns the sink's promise when a chunk left. */
  end(): void | Promise<void> {
    if (this.#off === this.#buf.length) this.#makeRoom(1);
    this.#buf[this.#off++] = 0x0a;
    this.#lineStart = this.#off;
    this.#lines++;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    const now = this.#off >= this.#size - 256 ? this.#handOver() : undefined;
    return waiting && now ? Promise.all([waiting, now]).then(() => {}) : (waiting ?? now);
  }

  /** A whole line at once. */
  line(text: string): void | Promise<void> {
    this.put(text);
    return this.end();
  }

  /** Drops what was put since the last `end`. */
  abandon(): void {
    this.#off = this.#lineStart;
  }

  /** Hands over the lines still buffered (a line left open is dropped). */
  async finish(): Promise<void> {
    this.abandon();
    await this.#waiting;
    this.#waiting = undefined;
    if (this.#lines > 0) await this.#handOver();
  }

  /** The whole lines to the sink; the open line (if any) moves to the front. */
  #handOver(): void | Promise<void> {
    const pending = this.#sink(this.#buf.subarray(0, this.#lineStart), this.#lines);
    this.#buf.copyWithin(0, this.#lineStart, this.#off);
    this.#off -= this.#lineStart;
    this.#lineStart = 0;
    this.#lines = 0;
    return pending;
  }

  /** Frees `need` bytes: hands the whole lines over, and grows the buffer for a line longer than it. */
  #makeRoom(need: number): void {
    if (this.#lines > 0) this.#waiting = this.#handOver();
    if (this.#off + need <= this.#buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.#size, 2 * (this.#off + need)));
    this.#buf.copy(bigger, 0, 0, this.#off);
    this.#buf = bigger;
  }
}

/** One line as a sink's arguments, unbuffered: `sink.errors(...lineChunk(text))`. */
export function lineChunk(text: string): [Buffer, number] {
  return [Buffer.from(`${text}\n`), 1];
}
