/**
 * The baseline of the export benchmarks: read NDJSON, `JSON.stringify(JSON.parse(line))` every
 * line, write it out. Run as a script (`node --import tsx parse-stringify-loop.ts IN OUT`) it is
 * a bare Node process: nothing of prefer is loaded, so its start-up is Node's own.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The loop's writer: lines joined into ~1 MB writes, up to 4 MB queued for the disk (as the
 * export's writer does) before it waits.
 */
class BufferedWriter {
  #parts: string[] = [];
  #size = 0;
  constructor(readonly stream: WriteStream) {}
  add(line: string): Promise<void> | undefined {
    this.#parts.push(line);
    this.#size += line.length;
    if (this.#size < 1 << 20) return undefined;
    return this.flush();
  }
  async flush(): Promise<void> {
    if (this.#parts.length === 0) return;
    const ok = this.stream.write(`${this.#parts.join('\n')}\n`);
    this.#parts = [];
    this.#size = 0;
    if (!ok) await once(this.stream, 'drain');
  }
  async end(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

/** The baseline: read NDJSON in chunks, parse and re-serialize every line, write in ~1 MB pieces. */
export async function parseStringifyLoop(input: string, output: string): Promise<number> {
  const writer = new BufferedWriter(createWriteStream(output, { highWaterMark: 4 << 20 }));
  let rest = '';
  let rows = 0;
  for await (const chunk of createReadStream(input, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const pending = writer.add(JSON.stringify(JSON.parse(text.slice(start, nl))));
      if (pending) await pending;
      rows++;
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  await writer.end();
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) throw new Error('usage: parse-stringify-loop.ts IN OUT');
  await parseStringifyLoop(input, output);
}
