import type { Command } from 'commander';
import { registerAdminCommands } from './commands/admin.ts';
import { registerBatchCommands } from './commands/batch.ts';
import { registerConvertCommand } from './commands/convert.ts';
import { registerDataRowCommands } from './commands/data-rows.ts';
import { registerDatasetCommands } from './commands/dataset.ts';
import { registerDemoCommands } from './commands/demo.ts';
import { registerExportCommands } from './commands/export.ts';
import { registerImportLabelboxCommand } from './commands/import-labelbox.ts';
import { registerKeyCommands } from './commands/keys.ts';
import { registerLabelCommands } from './commands/labels.ts';
import { registerLifecycleCommands } from './commands/lifecycle.ts';
import { registerListCommands } from './commands/lists.ts';
import { registerMaintenanceCommands } from './commands/maintenance.ts';
import { registerOntologyCommands } from './commands/ontology.ts';
import { registerProjectCommands } from './commands/project.ts';
import { registerServeCommands } from './commands/serve.ts';
import { registerStatsCommand } from './commands/stats.ts';
import { registerUserCommands } from './commands/users.ts';
import { addGlobalOptions } from './context.ts';
import { CliCommand, type CliRun } from './io.ts';

export function buildProgram(run: CliRun): Command {
  const program = new CliCommand(run, 'prefer')
    .description('Self-hosted LLM preference annotation with Labelbox-compatible exports')
    .showSuggestionAfterError()
    // Usage errors throw instead of exiting, so main decides the exit code (2).
    .exitOverride();
  addGlobalOptions(program);
  registerServeCommands(program);
  registerDemoCommands(program);
  registerDatasetCommands(program);
  registerDataRowCommands(program);
  registerOntologyCommands(program);
  registerProjectCommands(program);
  registerBatchCommands(program);
  registerLabelCommands(program);
  registerExportCommands(program);
  registerImportLabelboxCommand(program);
  registerKeyCommands(program);
  registerAdminCommands(program);
  registerUserCommands(program);
  registerMaintenanceCommands(program);
  registerConvertCommand(program);
  registerStatsCommand(program);
  registerLifecycleCommands(program);
  // After the groups it adds `list` to.
  registerListCommands(program);
  return program;
}
