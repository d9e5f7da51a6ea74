/**
 * The schema migrations, one file per migration (`NNNN_topic.ts` exporting `up(db)`), run in name
 * order by `migrate` (store.ts). They live in code, so nothing is found on disk at run time; each
 * migration handles both backends (SQLite and PostgreSQL), and stale-fragment triggers are written
 * once for both by `staleFragmentTrigger` (stale-fragment-trigger.ts).
 *
 * To add a migration: add its file and ONE line here, `export * as mNNNN_topic from './NNNN_topic.ts';`
 * (the name after `m` is the name recorded in the database; never rename or edit a shipped one).
 */
export * as m0001_initial from './0001_initial.ts';
export * as m0002_workflow from './0002_workflow.ts';
export * as m0003_accounts from './0003_accounts.ts';
export * as m0004_export_fragments from './0004_export_fragments.ts';
export * as m0005_export_row_head from './0005_export_row_head.ts';
export * as m0006_export_row_media from './0006_export_row_media.ts';
export * as m0007_export_row_index from './0007_export_row_index.ts';
export * as m0008_export_row_extras from './0008_export_row_extras.ts';
export * as m0009_displayed_order from './0009_displayed_order.ts';
export * as m0010_login_attempts from './0010_login_attempts.ts';
export * as m0011_bulk_writes_skip_stale_triggers from './0011_bulk_writes_skip_stale_triggers.ts';
export * as m0012_export_link_base from './0012_export_link_base.ts';
export * as m0013_fragment_fixed_inputs from './0013_fragment_fixed_inputs.ts';
export * as m0014_lease_ahead from './0014_lease_ahead.ts';
export * as m0015_data_lifecycle from './0015_data_lifecycle.ts';
export * as m0016_mmc_projects from './0016_mmc_projects.ts';
export * as m0017_audit_log_and_label_import_identity from './0017_audit_log_and_label_import_identity.ts';
export * as m0018_user_invites from './0018_user_invites.ts';
export * as m0019_drop_redundant_indexes from './0019_drop_redundant_indexes.ts';
export * as m0020_stale_once_per_write from './0020_stale_once_per_write.ts';
export * as m0021_lz4_wide_columns from './0021_lz4_wide_columns.ts';
