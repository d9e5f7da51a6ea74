/** Reading a password: from an environment variable, from stdin, or at a terminal prompt without echo. */
import { UsageError } from '../failure.ts';
import type { CliIo } from '../io.ts';

/** Prompts on stderr and reads one line from the terminal without echoing it. */
export function promptHidden(question: string, io: CliIo): Promise<string> {
  const input = io.stdin;
  const { setRawMode } = input;
  if (!input.isTTY || !setRawMode)
    return Promise.reject(new UsageError('no terminal to prompt for a password'));
  return new Promise((resolve, reject) => {
    let value = '';
    io.stderr.write(question);
    setRawMode.call(input, true);
    input.resume();
    input.setEncoding('utf8');
    const done = (err?: Error) => {
      setRawMode.call(input, false);
      input.pause();
      input.off('data', onData);
      io.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
  });
}

/** One line from stdin (`--password-stdin`), without its line end. */
export async function readStdinLine(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** A new password from `env` if set, else typed twice at a terminal prompt. */
export async function newPassword(envName: string, io: CliIo): Promise<string> {
  const fromEnv = io.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!io.stdin.isTTY) {
    throw new UsageError(`set ${envName} or run in a terminal to be asked for the password`);
  }
  const first = await promptHidden('password (12 to 1,024 characters): ', io);
  const second = await promptHidden('the same password again: ', io);
  if (first !== second) throw new UsageError('the two passwords differ');
  return first;
}
