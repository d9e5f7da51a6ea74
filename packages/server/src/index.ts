export { createAdmin, ensureFirstAdmin } from './accounts/admin.service.ts';
export { inviteUser } from './accounts/invite.service.ts';
export { type CreateUserInput, createUser } from './accounts/user.service.ts';
export { type AuditedCall, audited } from './audit/audit.write.ts';
export { type ApiKeySummary, createApiKey, listApiKeys, revokeApiKey } from './auth/api-key.service.ts';
export { editBatch } from './batches/batch.edit.ts';
export { BATCH_WIRE_NAMES } from './batches/batch.input.ts';
export { createBatch } from './batches/batch.service.ts';
export { importDataRows } from './data-rows/data-row.import.ts';
export { editDataset } from './datasets/dataset.edit.ts';
export { createDataset } from './datasets/dataset.service.ts';
export { DEMO_PROJECT_NAME, type DemoIds, seedDemo } from './demo/seed.ts';
export { openExportStream } from './exports/files/streams.ts';
export {
  type ExportOutput,
  exportToStream,
  openExportFile,
  runExportNow,
} from './exports/tasks/export-now.service.ts';
export {
  exportJob,
  labelExportJob,
  startExport,
  startLabelExport,
} from './exports/tasks/export-start.service.ts';
export { type CreateExportTaskInput, getExportTask } from './exports/tasks/export-task.service.ts';
export { createExportRunner, exportRunner } from './exports/worker/worker.runners.ts';
export { startExportWorker } from './exports/worker/worker.ts';
export { type AppOptions, createApp } from './http/app.ts';
export type { ErrorBody } from './http/errors.ts';
export { withFieldNames } from './http/field-names.ts';
export type { Health } from './http/health.routes.ts';
export { loadInstallSecret } from './http/install-secret.ts';
export { localFetch } from './http/local-app.ts';
export { type RunningServer, type ServerOptions, startServer, untilShutdownSignal } from './http/server.ts';
export { importLabelboxExport } from './labelbox-import/labelbox-export.import.ts';
export { importLabels, LABEL_IMPORT_WIRE_NAMES } from './labels/label.import.ts';
export {
  type DeleteInput,
  type DeleteResult,
  deleteTarget,
  type RestoreResult,
  restoreTarget,
} from './lifecycle/lifecycle.service.ts';
export { purgeExpired } from './lifecycle/purge.ts';
export { type BackupResult, backupDatabase, restoreDatabase } from './maintenance/backup.ts';
export { type DoctorCheck, runDoctor } from './maintenance/doctor.ts';
export { openCheckedStore } from './maintenance/start-checks.ts';
export { editOntology } from './ontologies/ontology.edit.ts';
export { createOntology } from './ontologies/ontology.service.ts';
export type { Actor } from './orgs/actor.ts';
export { localActor } from './orgs/org.service.ts';
export { addMember } from './projects/member.service.ts';
export { editProject, setArchived } from './projects/project.edit.ts';
export { createProject, PROJECT_WIRE_NAMES } from './projects/project.service.ts';
// The light part (configuration, errors, constants), also importable alone for fast CLI starts.
export * from './settings.ts';
export type { ImportResult } from './shared/result.ts';
export { type Backend, openStore, type Store } from './store/store.ts';
export { type StartConversionInput, startConversion } from './training/conversion.service.ts';
export { type ProjectStatsOptions, projectStats } from './training/stats.service.ts';
export { type TrainingExtras, trainingExtras } from './training/training-extras.ts';
export { type TrainingSource, withProjectTrainingSource } from './training/training-source.ts';
