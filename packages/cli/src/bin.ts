/** The `prefer` executable: one run on the process's own streams and environment. */
import { processIo } from './io.ts';
import { main } from './main.ts';

// Let stdout drain before exiting: process.exit() could cut a piped result short.
process.exitCode = await main(process.argv, processIo());
