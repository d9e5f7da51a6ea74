/**
 * The data lifecycle verbs, added to the existing groups: `project edit|archive|unarchive|delete|
 * restore`, `dataset edit|delete|restore`, `batch edit|delete|restore`, `data-rows delete|restore`
 * (alias `data-row`), `labels delete|restore` (alias `label`). Local mode acts as the local admin;
 * `--url` runs the same on the SDK. `--erase` erases at once (admins only) instead of a
 * restorable delete.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { withLocalStore } from '../context.ts';
import { integer } from '../options.ts';
import { runRemote, urlOption } from '../remote.ts';

type Kind = 'project' | 'dataset' | 'batch' | 'data_row' | 'label';

const WHAT: Record<Kind, string> = {
  project: 'project',
  dataset: 'dataset',
  batch: 'batch',
  data_row: 'data row',
  label: 'label',
};

/** The restore command line printed after a delete, so the way back is one copy away. */
const RESTORE: Record<Kind, (id: string, project?: string) => string> = {
  project: (id) => `prefer project restore ${id}`,
  dataset: (id) => `prefer dataset restore ${id}`,
  batch: (id, p) => `prefer batch restore ${id} --project ${p}`,
  data_row: (id) => `prefer data-rows restore ${id}`,
  label: (id, p) => `prefer labels restore ${id} --project ${p}`,
};

interface DeletedJson {
  kind: Kind;
  id: string;
  state: 'deleted' | 'erased';
  deleted_at: string;
  rows: number;
}

/** The REST route of each kind (`DELETE` it, `POST` its `/restore`), for the audit entries. */
const ROUTE: Record<Kind, string> = {
  project: '/projects/:projectId',
  dataset: '/datasets/:datasetId',
  batch: '/projects/:projectId/batches/:batchId',
  data_row: '/data-rows/:dataRowId',
  label: '/projects/:projectId/labels/:labelId',
};

/** The route's parameters: the id is the last one, the project (when the kind has one) the first. */
function paramsOf(kind: Kind, id: string, project: string | undefined): Record<string, string> {
  const names = [...ROUTE[kind].matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const params: Record<string, string> = { [names.at(-1)!]: id };
  if (names.length > 1 && project !== undefined) params.projectId = project;
  return params;
}

function deletedText(d: DeletedJson, project?: string): string {
  return d.state === 'erased'
    ? `erased ${WHAT[d.kind]} ${d.id} (${d.rows} rows removed for good)`
    : `deleted ${WHAT[d.kind]} ${d.id} (${d.rows} rows; restore with: ${RESTORE[d.kind](d.id, project)})`;
}

const group = (program: Command, name: string): Command => {
  const found = program.commands.find((c) => c.name() === name);
  if (!found) throw new Error(`no command group ${name}`);
  return found;
};

const projectOption = () =>
  new Option('--project <id>', 'the project it belongs to').env('PREFER_PROJECT').makeOptionMandatory();
const eraseOption = () =>
  new Option(
    '--erase',
    'erase at once (organization admins only): nothing kept to restore, the erasure recorded',
  );

/** `delete` and `restore` for a kind, under `parent`. */
function deleteAndRestore(parent: Command, kind: Kind, needsProject: boolean): void {
  const del = parent
    .command('delete')
    .description(`delete a ${WHAT[kind]} (restorable within the retention window; --erase: at once)`)
    .argument('<id>', `${WHAT[kind]} id`);
  if (needsProject) del.addOption(projectOption());
  if (kind === 'batch') {
    del.addOption(
      new Option('--labels <keep|delete>', "what becomes of the labels of the batch's rows in the project")
        .choices(['keep', 'delete'])
        .makeOptionMandatory(),
    );
  }
  del
    .addOption(eraseOption())
    .addOption(urlOption())
    .action(
      async (id: string, opts: { project?: string; labels?: 'keep' | 'delete'; erase?: boolean }, cmd) => {
        const erase = opts.erase === true;
        const remote = await runRemote(cmd, async (client, out) => {
          const d =
            kind === 'project'
              ? await client.deleteProject(id, { erase })
              : kind === 'dataset'
                ? await client.deleteDataset(id, { erase })
                : kind === 'data_row'
                  ? await client.deleteDataRow(id, { erase })
                  : kind === 'label'
                    ? await client.deleteLabel(opts.project!, id, { erase })
                    : await client.deleteBatch(opts.project!, id, { erase, labels: opts.labels! });
          const json: DeletedJson = { ...d, deleted_at: d.deletedAt.toISOString() };
          delete (json as Partial<{ deletedAt: unknown }>).deletedAt;
          out.result(deletedText(json, opts.project), json);
        });
        if (remote) return;
        await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
          const write = { route: `DELETE ${ROUTE[kind]}`, params: paramsOf(kind, id, opts.project) };
          const d = await audited(write, () =>
            server.deleteTarget(store, actor, {
              kind,
              id,
              projectId: opts.project,
              labels: opts.labels,
              erase,
            }),
          );
          const json: DeletedJson = {
            kind: d.kind,
            id: d.id,
            state: d.state,
            deleted_at: new Date(d.deletedAt).toISOString(),
            rows: d.rows,
          };
          out.result(deletedText(json, opts.project), json);
        });
      },
    );

  const restore = parent
    .command('restore')
    .description(`restore a deleted ${WHAT[kind]} (within the retention window)`)
    .argument('<id>', `${WHAT[kind]} id`);
  if (needsProject) restore.addOption(projectOption());
  restore.addOption(urlOption()).action(async (id: string, opts: { project?: string }, cmd) => {
    const print = (
      out: { result(text: string, value: unknown): void },
      r: { kind: string; id: string; restored: number; skipped: number },
    ) =>
      out.result(
        `restored ${WHAT[kind]} ${id} (${r.restored} rows${r.skipped ? `, ${r.skipped} skipped: live again or their project, batch or dataset is gone` : ''})`,
        { kind: r.kind, id: r.id, restored: r.restored, skipped: r.skipped },
      );
    const remote = await runRemote(cmd, async (client, out) => {
      const r =
        kind === 'project'
          ? await client.restoreProject(id)
          : kind === 'dataset'
            ? await client.restoreDataset(id)
            : kind === 'data_row'
              ? await client.restoreDataRow(id)
              : kind === 'label'
                ? await client.restoreLabel(opts.project!, id)
                : await client.restoreBatch(opts.project!, id);
      print(out, r);
    });
    if (remote) return;
    await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
      const write = { route: `POST ${ROUTE[kind]}/restore`, params: paramsOf(kind, id, opts.project) };
      print(
        out,
        await audited(write, () => server.restoreTarget(store, actor, { kind, id, projectId: opts.project })),
      );
    });
  });
}

interface ProjectEditOptions {
  name?: string;
  description?: string;
  instructions?: string;
  instructionsFile?: string;
  consensusLabels?: number;
}

export function registerLifecycleCommands(program: Command): void {
  const project = group(program, 'project');
  project
    .command('edit')
    .description('change a project: name, description, instructions (markdown for labelers), consensus')
    .argument('<id>', 'project id')
    .option('--name <name>', 'new name')
    .option('--description <text>', 'new description ("" clears it)')
    .option('--instructions <markdown>', 'the labelers’ guideline ("" clears it)')
    .option('--instructions-file <path>', 'read the guideline from a markdown file')
    .addOption(new Option('--consensus-labels <k>', 'labels wanted per data row, 1 to 10').argParser(integer))
    .addOption(urlOption())
    .action(async (id: string, opts: ProjectEditOptions, cmd: Command) => {
      const instructions =
        opts.instructionsFile !== undefined
          ? await readFile(opts.instructionsFile, 'utf8')
          : opts.instructions;
      const clear = (v: string | undefined) => (v === '' ? null : v);
      const edit = {
        name: opts.name,
        description: clear(opts.description),
        instructions: clear(instructions),
      };
      const remote = await runRemote(cmd, async (client, out) => {
        const p = await client.updateProject(id, {
          ...Object.fromEntries(Object.entries(edit).filter(([, v]) => v !== undefined)),
          ...(opts.consensusLabels === undefined
            ? {}
            : { consensusExpectedLabelCount: opts.consensusLabels }),
        });
        out.result(p.id, { id: p.id, name: p.name, instructions: p.instructions });
      });
      if (remote) return;
      await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
        await audited({ route: `PATCH ${ROUTE.project}`, params: { projectId: id } }, () =>
          server.editProject(store, actor, id, { ...edit, consensusLabels: opts.consensusLabels }),
        );
        out.result(id, {
          id,
          ...Object.fromEntries(Object.entries(edit).filter(([, v]) => v !== undefined)),
        });
      });
    });
  for (const [verb, archived] of [
    ['archive', true],
    ['unarchive', false],
  ] as const) {
    project
      .command(verb)
      .description(
        archived
          ? 'archive a project: read-only, out of the queues and labelers’ lists, still exportable'
          : 'bring an archived project back',
      )
      .argument('<id>', 'project id')
      .addOption(urlOption())
      .action(async (id: string, _opts: unknown, cmd: Command) => {
        const text = `${archived ? 'archived' : 'unarchived'} project ${id}`;
        const remote = await runRemote(cmd, async (client, out) => {
          const p = archived ? await client.archiveProject(id) : await client.unarchiveProject(id);
          out.result(text, { id, archived: p.archivedAt !== null });
        });
        if (remote) return;
        await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
          await audited({ route: `POST ${ROUTE.project}/${verb}`, params: { projectId: id } }, () =>
            server.setArchived(store, actor, id, archived),
          );
          out.result(text, { id, archived });
        });
      });
  }
  deleteAndRestore(project, 'project', false);

  const dataset = group(program, 'dataset');
  dataset
    .command('edit')
    .description('change a dataset: name, description')
    .argument('<id>', 'dataset id')
    .option('--name <name>', 'new name')
    .option('--description <text>', 'new description ("" clears it)')
    .addOption(urlOption())
    .action(async (id: string, opts: { name?: string; description?: string }, cmd: Command) => {
      const edit = {
        ...(opts.name === undefined ? {} : { name: opts.name }),
        ...(opts.description === undefined
          ? {}
          : { description: opts.description === '' ? null : opts.description }),
      };
      const remote = await runRemote(cmd, async (client, out) => {
        const d = await client.updateDataset(id, edit);
        out.result(d.id, { id: d.id, name: d.name, description: d.description });
      });
      if (remote) return;
      await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
        await audited({ route: `PATCH ${ROUTE.dataset}`, params: { datasetId: id } }, () =>
          server.editDataset(store, actor, id, edit),
        );
        out.result(id, { id, ...edit });
      });
    });
  deleteAndRestore(dataset, 'dataset', false);

  const batch = group(program, 'batch');
  batch
    .command('edit')
    .description(
      "change a batch: name, priority (its queued rows follow), consensus ('project': the project's)",
    )
    .argument('<id>', 'batch id')
    .addOption(projectOption())
    .option('--name <name>', 'new name')
    .addOption(new Option('--priority <n>', '1 (highest) to 5').argParser(integer))
    .option('--consensus-labels <k>', "labels wanted per row, 1 to 10, or 'project' for the project's")
    .addOption(urlOption())
    .action(
      async (
        id: string,
        opts: { project: string; name?: string; priority?: number; consensusLabels?: string },
        cmd: Command,
      ) => {
        const consensus =
          opts.consensusLabels === undefined
            ? undefined
            : opts.consensusLabels === 'project'
              ? null
              : integer(opts.consensusLabels);
        const edit = {
          ...(opts.name === undefined ? {} : { name: opts.name }),
          ...(opts.priority === undefined ? {} : { priority: opts.priority }),
        };
        const remote = await runRemote(cmd, async (client, out) => {
          const b = await client.updateBatch(opts.project, id, {
            ...edit,
            ...(consensus === undefined ? {} : { consensusExpectedLabelCount: consensus }),
          });
          out.result(b.id, {
            id: b.id,
            name: b.name,
            priority: b.priority,
            consensus: b.consensusExpectedLabelCount,
          });
        });
        if (remote) return;
        await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
          const write = { route: `PATCH ${ROUTE.batch}`, params: { projectId: opts.project, batchId: id } };
          await audited(write, () =>
            server.editBatch(store, actor, opts.project, id, { ...edit, consensusLabels: consensus }),
          );
          out.result(id, { id, ...edit, ...(consensus === undefined ? {} : { consensus }) });
        });
      },
    );
  deleteAndRestore(batch, 'batch', true);

  deleteAndRestore(group(program, 'data-rows').alias('data-row'), 'data_row', false);
  deleteAndRestore(group(program, 'labels').alias('label'), 'label', true);
}
