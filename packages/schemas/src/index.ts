/** zod schemas and types shared by the server, SDK, CLI and UI. No I/O here. */
export * from './annotation.ts';
export * from './conversation.ts';
export * from './data-row.ts';
export * from './export.ts';
export * from './ontology.ts';
export * from './wire/audit.ts';
export * from './wire/batches.ts';
export * from './wire/data-rows.ts';
export * from './wire/datasets.ts';
export * from './wire/imports.ts';
export * from './wire/keys.ts';
export * from './wire/members.ts';
export * from './wire/ontologies.ts';
export * from './wire/page.ts';
export * from './wire/projects.ts';
export * from './wire/users.ts';
export * from './wire/workflow.ts';
