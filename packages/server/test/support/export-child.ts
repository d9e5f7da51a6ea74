/**
 * The child process of the kill test (docs/reliability.md no. 33): runs an export worker on the given
 * database with a slow stand-in engine and prints `MID <taskId> <row>` once the export is well
 * under way, so the parent can SIGKILL it in the middle of writing.
 *
 *   node --import tsx export-child.ts <database url> <data dir> <rows> <mid row>
 */
import { startExportWorker } from '../../src/exports/worker/worker.ts';
import { openStore } from '../../src/store/store.ts';
import { standInRunner } from './export-child-fixtures.ts';

const [url, dataDir, rows, midRow] = process.argv.slice(2);
if (!url || !dataDir || !rows || !midRow) {
  console.error('usage: export-child.ts <database url> <data dir> <rows> <mid row>');
  process.exit(2);
}
const store = await openStore(url);
startExportWorker(store, {
  dataDir,
  workerId: `child-${process.pid}`,
  pollMs: 20,
  heartbeatMs: 100,
  retentionEveryMs: 0,
  runner: standInRunner({
    rows: Number(rows),
    delayMs: 5,
    delayEvery: 500,
    afterRow: (i, task) => {
      if (i === Number(midRow)) process.stdout.write(`MID ${task.id} ${i}\n`);
      // Slower after the signal, still writing: the kill lands mid-export however loaded the machine.
      if (i > Number(midRow) && i % 10 === 0) return new Promise((r) => setTimeout(r, 1));
    },
  }),
});
