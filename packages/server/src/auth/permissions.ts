/**
 * The permission matrix: the one table every route declares against (see http/api-router.ts) and
 * the README's "Roles and permissions" section mirrors. A test fails when they disagree.
 *
 * Roles: an organization `admin` holds every role in every project of the organization; other
 * users hold, per project, `manager`, `reviewer` or `labeler` (table `project_members`).
 * - `project` permissions are checked against the caller's role in the project the route names.
 *   A caller with no role there gets 404, exactly as for a project that does not exist; a caller
 *   whose role is not listed gets 403.
 * - `org` permissions are checked against the caller's organization role and every project role
 *   they hold anywhere: a manager of any project may create datasets, ontologies and projects.
 */

import type { Actor } from '../orgs/actor.ts';
import { AppError } from '../shared/errors.ts';
import type { ProjectRole } from '../store/schema.ts';
import type { Db, Tx } from '../store/store.ts';

export type Role = 'admin' | ProjectRole;
export const ROLES: readonly Role[] = ['admin', 'manager', 'reviewer', 'labeler'];

interface PermissionSpec {
  scope: 'org' | 'project';
  roles: readonly Role[];
  /** What it allows, as the README's matrix says it. */
  doc: string;
}

const ALL = ROLES;
const MANAGE: readonly Role[] = ['admin', 'manager'];

export const PERMISSIONS = {
  self: { scope: 'org', roles: ALL, doc: 'read own account, change own password, manage own API keys' },
  'users.manage': {
    scope: 'org',
    roles: ['admin'],
    doc: 'create, invite and disable users, set organization roles',
  },
  'users.read': { scope: 'org', roles: MANAGE, doc: 'list the organization’s users' },
  'migration.import': {
    scope: 'org',
    roles: ['admin'],
    doc: 'import a Labelbox export v2 file (its projects, rows, labels and users)',
  },
  'datasets.read': { scope: 'org', roles: MANAGE, doc: 'list and read datasets and data rows' },
  'datasets.write': { scope: 'org', roles: MANAGE, doc: 'create datasets, import data rows' },
  'ontologies.read': { scope: 'org', roles: ALL, doc: 'read ontologies' },
  'ontologies.write': { scope: 'org', roles: MANAGE, doc: 'create and edit ontologies' },
  'projects.create': {
    scope: 'org',
    roles: MANAGE,
    doc: 'create projects (the creator becomes their manager)',
  },
  'projects.list': {
    scope: 'org',
    roles: ALL,
    doc: 'list the projects they hold a role in (an admin: every project)',
  },
  'project.read': { scope: 'project', roles: ALL, doc: 'read the project and its workflow tasks' },
  'project.monitor': {
    scope: 'project',
    roles: MANAGE,
    doc: 'read the overview (progress, rates) and browse data rows',
  },
  'project.members': { scope: 'project', roles: MANAGE, doc: 'add, change and remove project members' },
  'project.batches': { scope: 'project', roles: MANAGE, doc: 'create and list batches (queue rows)' },
  'labels.import': { scope: 'project', roles: MANAGE, doc: 'import labels' },
  'queue.label': {
    scope: 'project',
    roles: ['admin', 'manager', 'labeler'],
    doc: 'take rows from the queue, submit, skip and rework own labels',
  },
  'leases.renew': {
    scope: 'project',
    roles: ALL,
    doc: 'renew a lease they hold on a row (labeling or review)',
  },
  'labels.read': { scope: 'project', roles: ALL, doc: 'read labels (a labeler sees only their own)' },
  'reviews.write': {
    scope: 'project',
    roles: ['admin', 'manager', 'reviewer'],
    doc: 'take rows from the review queue, approve and reject labels',
  },
  'rows.move': { scope: 'project', roles: MANAGE, doc: 'move rows between workflow tasks in bulk' },
  'comments.write': {
    scope: 'project',
    roles: ALL,
    doc: 'comment on data rows (a labeler: rows they hold or labeled)',
  },
  export: {
    scope: 'project',
    roles: MANAGE,
    doc: 'start exports and training-data conversions, read export tasks and files',
  },
  analytics: {
    scope: 'project',
    roles: MANAGE,
    doc: 'read and start preference analytics (agreement, annotators, ratings)',
  },
  'datasets.edit': {
    scope: 'org',
    roles: MANAGE,
    doc: 'edit, delete and restore datasets and data rows (erasure: admins only)',
  },
  'project.settings': {
    scope: 'project',
    roles: MANAGE,
    doc: 'edit the project (name, instructions, consensus...), archive, unarchive',
  },
  'project.delete': {
    scope: 'project',
    roles: MANAGE,
    doc: 'delete and restore the project (erasure: admins only)',
  },
  'batches.edit': {
    scope: 'project',
    roles: MANAGE,
    doc: 'edit, delete and restore batches (erasure: admins only)',
  },
  'labels.delete': {
    scope: 'project',
    roles: MANAGE,
    doc: 'delete and restore labels (erasure: admins only)',
  },
  'audit.read': { scope: 'org', roles: ['admin'], doc: 'read and export the audit log' },
} as const satisfies Record<string, PermissionSpec>;

export type Permission = keyof typeof PERMISSIONS;

/** A project as the services act on it (projects/project.service.ts `requireProject`). */
export interface ProjectRef {
  id: string;
  name: string;
  ontology_id: string;
}

/** What a caller may do in one project. */
export interface ProjectAccess {
  projectId: string;
  role: Role;
  /** When the project was archived (null: it is not), read with the role (one query, not two). */
  archivedAt?: number | null;
  /**
   * The project itself, read by the same query (not for a deleted project): a service given it
   * does not read the project again in the same request (`knownProject`).
   */
  project?: ProjectRef;
}

export function allows(permission: Permission, role: Role): boolean {
  return (PERMISSIONS[permission].roles as readonly Role[]).includes(role);
}

/** The caller's role in a project: `admin` for organization admins; 404 when they have none. */
export async function projectRole(
  db: Db | Tx,
  actor: Actor,
  projectId: string,
  options: { deleted?: boolean } = {},
): Promise<Role> {
  return (await projectAccess(db, actor, projectId, options)).role;
}

/**
 * A project as one caller sees it: the project (null when it does not exist in the caller's
 * organization) and the caller's membership role in it. Read by `projectAccess`, or by the API
 * key's own query (auth/api-key.service.ts `authenticate`) when the request names a project:
 * one round trip for both.
 */
export interface ProjectAccessRow {
  projectId: string;
  /** Null: no project of that id in the caller's organization. */
  project: (ProjectRef & { archived_at: number | null; deleted_at: number | null }) | null;
  /** The caller's `project_members` role; null when they hold none. */
  role: ProjectRole | null;
}

async function projectAccess(
  db: Db | Tx,
  actor: Actor,
  projectId: string,
  options: { deleted?: boolean },
  known?: ProjectAccessRow,
): Promise<{ role: Role; archivedAt: number | null; project: ProjectRef }> {
  const row = known?.projectId === projectId ? known : await readProjectAccess(db, actor, projectId);
  const project = row.project;
  // A deleted project is answered as missing, except to the routes that restore it.
  const present =
    project !== null && (options.deleted ? project.deleted_at !== null : project.deleted_at === null);
  if (!present || (!row.role && actor.role !== 'admin')) {
    throw new AppError('NOT_FOUND', `project ${projectId} not found`);
  }
  const ref = { id: project.id, name: project.name, ontology_id: project.ontology_id };
  return {
    role: actor.role === 'admin' ? 'admin' : row.role!,
    archivedAt: project.archived_at,
    project: ref,
  };
}

async function readProjectAccess(db: Db | Tx, actor: Actor, projectId: string): Promise<ProjectAccessRow> {
  const row = await db
    .selectFrom('projects')
    .leftJoin('project_members', (j) =>
      j
        .onRef('project_members.project_id', '=', 'projects.id')
        .on('project_members.user_id', '=', actor.userId),
    )
    .where('projects.id', '=', projectId)
    .where('projects.org_id', '=', actor.orgId)
    .select([
      'project_members.role',
      'projects.archived_at',
      'projects.deleted_at',
      'projects.id',
      'projects.name',
      'projects.ontology_id',
    ])
    .executeTakeFirst();
  if (!row) return { projectId, project: null, role: null };
  const { role, ...project } = row;
  return { projectId, project, role };
}

/** Checks a project permission; answers the caller's access for the handler. */
export async function authorizeProject(
  db: Db | Tx,
  actor: Actor,
  projectId: string,
  permission: Permission,
  options: { deleted?: boolean } = {},
  /** The access as the request's authentication read it already (used when it is this project's). */
  known?: ProjectAccessRow,
): Promise<ProjectAccess> {
  const { role, archivedAt, project } = await projectAccess(db, actor, projectId, options, known);
  if (!allows(permission, role)) throw forbidden(permission, role);
  // A deleted project is no project the services act on (requireProject refuses it).
  return options.deleted ? { projectId, role, archivedAt } : { projectId, role, archivedAt, project };
}

/** Checks an organization permission against the caller's organization and project roles. */
export async function authorizeOrg(db: Db | Tx, actor: Actor, permission: Permission): Promise<void> {
  // Permissions every role holds need no lookup (and cover users without any project yet).
  if (actor.role === 'admin' || PERMISSIONS[permission].roles.length === ROLES.length) return;
  // Roles in deleted projects grant nothing.
  const held = await db
    .selectFrom('project_members')
    .innerJoin('projects', 'projects.id', 'project_members.project_id')
    .where('project_members.user_id', '=', actor.userId)
    .where('project_members.org_id', '=', actor.orgId)
    .where('projects.deleted_at', 'is', null)
    .select('project_members.role')
    .distinct()
    .execute();
  if (!held.some((h) => allows(permission, h.role))) throw forbidden(permission, held[0]?.role);
}

function forbidden(permission: Permission, role: Role | undefined): AppError {
  const allowed = PERMISSIONS[permission].roles.join(', ');
  const as = role ? `your role (${role})` : 'your account';
  return new AppError('FORBIDDEN', `${as} may not ${PERMISSIONS[permission].doc}; allowed roles: ${allowed}`);
}
