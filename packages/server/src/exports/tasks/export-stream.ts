/**
 * A streamed export: the rows of an export v2 go straight into an HTTP response as the engine
 * assembles them, so the first row arrives while the rest is still being read. It reads the same
 * single snapshot as a task export and holds one page in memory; a slow reader slows the engine
 * down (backpressure) instead of growing a buffer.
 *
 * There is no errors stream here: a row that cannot be assembled aborts the response, so a client
 * sees a broken transfer, never a silently incomplete export. Task exports keep such rows apart.
 *
 * A reader that stops reading would hold the snapshot (a pooled connection, or a WAL that cannot
 * be checkpointed) for ever: when the engine has waited `idleMs` for the reader to take anything,
 * the stream is ended (the client sees a broken transfer) and its snapshot freed. Streams are
 * counted by a `StreamGate`, which refuses one over its caps before anything is opened.
 */
import type { Actor } from '../../orgs/actor.ts';
import { requireProject } from '../../projects/project.service.ts';
import { AppError } from '../../shared/errors.ts';
import type { Store } from '../../store/store.ts';
import type { ExportRequest } from '../request/export.request.ts';
import { runExportV2 } from '../v2/export-v2.engine.ts';
import type { StreamGate } from './stream-gate.ts';

/** Bytes queued ahead of the reader before the engine waits. */
const HIGH_WATER_BYTES = 256 * 1024;
/** Lines leave in small chunks so the first rows go out while the first page is still being written. */
const CHUNK_BYTES = 64 * 1024;

export async function streamExportV2(
  store: Store,
  actor: Actor,
  projectId: string,
  request: ExportRequest,
  gate: StreamGate,
  /**
   * Drops the client's connection, answering true when it could (over a socket; not in-process).
   * A stalled stream is ended this way: erroring it instead would have the HTTP server log the
   * error and try to write its message into a body the client is not reading.
   */
  hangUp: () => boolean = () => false,
): Promise<ReadableStream<Uint8Array>> {
  // Refuse a missing or foreign project, and a stream over the caps, before the 200 status is sent.
  await requireProject(store.db, actor.orgId, projectId);
  const release = gate.enter(actor.userId);
  const { idleMs } = gate.limits;
  let wake: (() => void) | null = null;
  let cancelled = false;
  let hungUp = false;
  const resume = () => {
    wake?.();
    wake = null;
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const sink = {
          async result(chunk: Buffer) {
            if (cancelled) throw new AppError('BAD_REQUEST', 'the client stopped reading');
            // The engine reuses the chunk's bytes: the stream keeps a copy.
            controller.enqueue(Buffer.from(chunk));
            if ((controller.desiredSize ?? 1) > 0) return;
            let idle: NodeJS.Timeout | undefined;
            const stalled = await new Promise<boolean>((r) => {
              wake = () => r(false);
              idle = setTimeout(() => r(true), idleMs);
            });
            clearTimeout(idle);
            if (stalled) {
              hungUp = hangUp();
              throw new AppError('UNAVAILABLE', `the client read nothing for ${idleMs} ms: stream ended`);
            }
          },
          errors(chunk: Buffer) {
            const { data_row_id } = JSON.parse(chunk.toString('utf8')) as { data_row_id: string };
            throw new AppError('INTERNAL', `data row ${data_row_id} could not be exported`);
          },
        };
        runExportV2(store, actor, projectId, request, sink, { chunkBytes: CHUNK_BYTES })
          .then(
            () => {
              if (!cancelled) controller.close();
            },
            (err: unknown) => {
              // A row that failed (or a stalled reader with no socket to drop): erroring the stream
              // makes the server cut the response.
              if (!cancelled && !hungUp) controller.error(err);
            },
          )
          // The snapshot is closed once the engine returned: only then is the place free.
          .finally(release);
      },
      pull: resume,
      cancel() {
        cancelled = true;
        resume();
      },
    },
    { highWaterMark: HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
  );
}
