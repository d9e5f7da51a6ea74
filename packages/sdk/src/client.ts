/**
 * The HTTP client of prefer's API: fetch only, no server code. Retries what is safe to retry
 * (429 honouring Retry-After; network faults and 502/503/504 on GET) and maps error answers to
 * the typed errors of `errors.ts`.
 */
import {
  currentSessionSchema,
  dataRowDetailSchema,
  datasetSchema,
  ERROR_CODES,
  errorBodySchema,
  inviteInfoSchema,
  type LabelboxImportCounts,
  labelboxImportSchema,
  projectSchema,
  sessionSchema,
} from '@prefer/schemas';
import { z } from 'zod';
import * as audit from './audit.ts';
import type { Batch } from './batch.ts';
import { type DataRowDetail, Dataset, dataRowDetailOf } from './dataset.ts';
import {
  ApiLimitError,
  AuthenticationError,
  AuthorizationError,
  type ErrorInfo,
  NetworkError,
  PreferError,
  ResourceNotFoundError,
  TimeoutError,
  ValidationError,
} from './errors.ts';
import type { ApiKey, CreatedApiKey } from './keys.ts';
import * as keys from './keys.ts';
import * as lifecycle from './lifecycle.ts';
import { Ontology, type OntologyInput, ontologyAnswerSchema } from './ontology.ts';
import { type PageOptions, paginate } from './paging.ts';
import { type CreateProjectInput, Project } from './project.ts';
import { type UploadBody, type UploadSource, uploadBody } from './upload.ts';
import * as users from './users.ts';
import { User } from './users.ts';

export interface ClientOptions {
  /** The server's base URL, e.g. `http://localhost:8080`. */
  endpoint: string;
  /** An API key (`prefer_...`); defaults to the `PREFER_API_KEY` environment variable. */
  apiKey?: string;
  /** Retries of a 429 or of a failed GET before giving up (default 5). */
  maxRetries?: number;
  /** Time allowed until the answer's headers arrive, in milliseconds (default 60,000). */
  requestTimeoutMs?: number;
  /** Longest wait honoured from a Retry-After header, in seconds (default 60). */
  maxRetryAfterSeconds?: number;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /**
   * Browser session mode: authenticate with the same-origin session cookie (set by `login`)
   * instead of an API key, and send the session's CSRF token on every state-changing request.
   * No key is read from the environment in this mode.
   */
  session?: boolean;
}

/** The signed-in user of a browser session, with the token its writes must carry. */
export interface Session {
  user: User;
  csrfToken: string;
}

export interface RequestOptions {
  body?: unknown;
  /** A file body sent as it is (NDJSON uploads) instead of a JSON `body`. */
  upload?: { body: UploadBody; contentType: string };
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const RETRYABLE_GET = new Set([502, 503, 504]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Writes made before there is a session: they need no CSRF token. */
const PUBLIC_POSTS = new Set(['/auth/login', '/auth/invite', '/auth/invite/lookup']);

/** What a Labelbox migration imported. */
export type MigrationCounts = LabelboxImportCounts;

/**
 * Error answers as the SDK reads them: the shared schema, but a code this SDK does not know (from
 * a newer server) reads as no code rather than losing the message.
 */
const errorAnswerSchema = z.object({
  error: errorBodySchema.shape.error.extend({
    code: z.enum(ERROR_CODES).optional().catch(undefined),
    requestId: z.string().optional(),
  }),
});

export class Client {
  readonly endpoint: string;
  readonly #apiKey: string | undefined;
  readonly #maxRetries: number;
  readonly #timeoutMs: number;
  readonly #maxRetryAfter: number;
  readonly #fetch: typeof fetch;
  readonly #session: boolean;
  #csrfToken: string | undefined;

  /**
   * @example
   * const client = new Client({ endpoint: 'http://localhost:8080', apiKey: process.env.PREFER_API_KEY });
   * const project = await client.getProject('clpiy2itz08vg0705akh60zc1');
   */
  constructor(options: ClientOptions) {
    if (!options.endpoint) throw new ValidationError('endpoint is required (the server base URL)');
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.#session = options.session === true;
    this.#apiKey = this.#session ? undefined : (options.apiKey ?? envApiKey());
    this.#maxRetries = options.maxRetries ?? 5;
    this.#timeoutMs = options.requestTimeoutMs ?? 60_000;
    this.#maxRetryAfter = options.maxRetryAfterSeconds ?? 60;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /**
   * Session mode: logs in with email and password; the server sets the session cookie.
   * @throws AuthenticationError when the email or password is wrong.
   * @example
   * const client = new Client({ endpoint: location.origin, session: true });
   * const { user } = await client.login('rater@example.com', password);
   */
  async login(email: string, password: string): Promise<Session> {
    const wire = await this.requestJson('POST', '/auth/login', sessionSchema, { body: { email, password } });
    this.#csrfToken = wire.csrfToken;
    return { user: new User(wire.user), csrfToken: wire.csrfToken };
  }

  /**
   * Session mode: the signed-in user, or null when there is no live session.
   * @example
   * const session = await client.session();
   * if (!session) showSignIn();
   */
  async session(): Promise<Session | null> {
    try {
      const wire = await this.requestJson('GET', '/auth/session', currentSessionSchema);
      this.#csrfToken = wire.csrfToken;
      return { user: new User(wire.user), csrfToken: wire.csrfToken };
    } catch (err) {
      if (err instanceof AuthenticationError) return null;
      throw err;
    }
  }

  /**
   * Whom an invite link's token is for; null when the link is used, expired, withdrawn or unknown.
   * @example
   * const invite = await client.lookupInvite(token);
   */
  async lookupInvite(token: string): Promise<{ email: string; expiresAt: Date } | null> {
    try {
      const wire = await this.requestJson('POST', '/auth/invite/lookup', inviteInfoSchema, {
        body: { token },
      });
      return { email: wire.email, expiresAt: new Date(wire.expires_at) };
    } catch (err) {
      if (err instanceof ResourceNotFoundError) return null;
      throw err;
    }
  }

  /**
   * Session mode: uses an invite link's token to set one's first password; signs in like `login`.
   * @throws ResourceNotFoundError when the link is used, expired, withdrawn or unknown.
   * @example
   * const { user } = await client.acceptInvite(token, password);
   */
  async acceptInvite(token: string, password: string): Promise<Session> {
    const wire = await this.requestJson('POST', '/auth/invite', sessionSchema, { body: { token, password } });
    this.#csrfToken = wire.csrfToken;
    return { user: new User(wire.user), csrfToken: wire.csrfToken };
  }

  /** Session mode: ends the session (the cookie is cleared). */
  async logout(): Promise<void> {
    await this.request('POST', '/auth/logout');
    this.#csrfToken = undefined;
  }

  /**
   * Changes the caller's own password; the caller's other sessions end.
   * @throws AuthorizationError when `currentPassword` is wrong.
   * @example
   * await client.changePassword(oldPassword, newPassword);
   */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.request('POST', '/me/password', {
      body: { current_password: currentPassword, new_password: newPassword },
    });
  }

  /**
   * Fetches a project by id.
   * @throws ResourceNotFoundError when it does not exist (or is another organization's).
   * @example
   * const project = await client.getProject(projectId);
   * console.log(project.name, project.dataRowCount);
   */
  async getProject(id: string): Promise<Project> {
    const wire = await this.requestJson('GET', `/projects/${encodeURIComponent(id)}`, projectSchema);
    return new Project(this, wire);
  }

  /**
   * The projects the key's user holds a role in (an organization admin: all), oldest first,
   * fetched a page at a time.
   * @example
   * for await (const project of client.getProjects()) console.log(project.id, project.name);
   */
  getProjects(options?: PageOptions): AsyncGenerator<Project> {
    return paginate(this, '/projects', projectSchema, (w) => new Project(this, w), options);
  }

  /**
   * Creates a project on an ontology; its creator becomes its manager.
   * @example
   * const project = await client.createProject({ name: 'Assistant preference', ontologyId: ontology.id });
   */
  async createProject(input: CreateProjectInput): Promise<Project> {
    const body: Record<string, unknown> = { name: input.name, ontology_id: input.ontologyId };
    if (input.description !== undefined) body.description = input.description;
    if (input.mediaType !== undefined) body.media_type = input.mediaType;
    if (input.consensusExpectedLabelCount !== undefined)
      body.consensus_expected_label_count = input.consensusExpectedLabelCount;
    if (input.editorTaskType !== undefined) body.editor_task_type = input.editorTaskType;
    return new Project(this, await this.requestJson('POST', '/projects', projectSchema, { body }));
  }

  /**
   * @example
   * const dataset = await client.createDataset({ name: 'Assistant conversations' });
   * await dataset.createDataRows({ file: 'conversations.ndjson' });
   */
  async createDataset(input: { name: string; description?: string }): Promise<Dataset> {
    return new Dataset(this, await this.requestJson('POST', '/datasets', datasetSchema, { body: input }));
  }

  /** @throws ResourceNotFoundError when it does not exist (or is another organization's). */
  async getDataset(id: string): Promise<Dataset> {
    return new Dataset(
      this,
      await this.requestJson('GET', `/datasets/${encodeURIComponent(id)}`, datasetSchema),
    );
  }

  /**
   * The organization's datasets, oldest first, fetched a page at a time.
   * @example
   * for await (const dataset of client.getDatasets()) console.log(dataset.name, dataset.rowCount);
   */
  getDatasets(options?: PageOptions): AsyncGenerator<Dataset> {
    return paginate(this, '/datasets', datasetSchema, (w) => new Dataset(this, w), options);
  }

  /**
   * A data row with its attachments and metadata.
   * @example
   * const row = await client.getDataRow(dataRowId);
   * console.log(row.globalKey, row.metadataFields);
   */
  async getDataRow(id: string): Promise<DataRowDetail> {
    return dataRowDetailOf(
      await this.requestJson('GET', `/data-rows/${encodeURIComponent(id)}`, dataRowDetailSchema),
    );
  }

  /**
   * Creates an ontology from a Labelbox ontology JSON.
   * @throws ValidationError naming each faulty field (`faults`).
   * @example
   * const ontology = await client.createOntology('Preference', JSON.parse(readFileSync('ontology.json', 'utf8')));
   */
  async createOntology(name: string, ontology: OntologyInput): Promise<Ontology> {
    return new Ontology(
      await this.requestJson('POST', '/ontologies', ontologyAnswerSchema, { body: { name, ontology } }),
    );
  }

  async getOntology(id: string): Promise<Ontology> {
    return new Ontology(
      await this.requestJson('GET', `/ontologies/${encodeURIComponent(id)}`, ontologyAnswerSchema),
    );
  }

  /** The organization's ontologies, oldest first, fetched a page at a time. */
  getOntologies(options?: PageOptions): AsyncGenerator<Ontology> {
    return paginate(this, '/ontologies', ontologyAnswerSchema, (w) => new Ontology(w), options);
  }

  /**
   * A user of the organization by id, or without an id the key's own user (with project roles).
   * @example
   * const me = await client.getUser();
   * console.log(me.email, me.role, me.projects);
   */
  getUser(id?: string): Promise<User> {
    return users.getUser(this, id);
  }

  /**
   * Creates a user (organization admins only).
   * @example
   * const user = await client.createUser({ email: 'rater@example.com', role: 'member', password });
   */
  createUser(input: users.CreateUserInput): Promise<User> {
    return users.createUser(this, input);
  }

  /**
   * Invites a user by a one-time link (organization admins only): the user is created without a
   * password; whoever opens `inviteUrl` sets it and is signed in. The link is in this answer only.
   * @example
   * const { inviteUrl } = await client.inviteUser({ email: 'rater@example.com', role: 'member' });
   */
  inviteUser(input: users.InviteUserInput): Promise<users.InvitedUser> {
    return users.inviteUser(this, input);
  }

  /** Changes a user's role, name, password or disabled state (organization admins only). */
  updateUser(id: string, input: users.UpdateUserInput): Promise<User> {
    return users.updateUser(this, id, input);
  }

  /** The organization's users, a page at a time (admins and project managers). */
  getUsers(options?: PageOptions): AsyncGenerator<User> {
    return users.getUsers(this, options);
  }

  /**
   * The organization's audit log, newest first (organization admins).
   * @example
   * for await (const e of client.getAuditLog({ action: 'post_users', from: '2026-01-01' })) console.log(e.actor.email);
   */
  getAuditLog(filters?: audit.AuditFilters, options?: PageOptions): AsyncGenerator<audit.AuditEntry> {
    return audit.getAuditLog(this, filters, options);
  }

  /**
   * Creates an API key acting as the caller; `key` is shown this once.
   * @example
   * const { key } = await client.createApiKey({ name: 'notebook', expiresInDays: 30 });
   */
  createApiKey(input: { name: string; expiresInDays?: number }): Promise<CreatedApiKey> {
    return keys.createApiKey(this, input);
  }

  /** The caller's API keys (an admin may pass `userId`); never the keys themselves. */
  getApiKeys(options?: PageOptions & { userId?: string }): AsyncGenerator<ApiKey> {
    return keys.getApiKeys(this, options);
  }

  /** Revokes an API key: refused from the next request on. */
  revokeApiKey(id: string): Promise<void> {
    return keys.revokeApiKey(this, id);
  }

  /**
   * Migrates a Labelbox export v2 file keeping its ids, all or nothing (organization admins).
   * @throws ValidationError listing every fault by line (`faults`) when anything is wrong.
   * @example
   * const counts = await client.importLabelboxExport({ file: 'labelbox-export.ndjson' });
   */
  async importLabelboxExport(source: UploadSource<Record<string, unknown>>): Promise<MigrationCounts> {
    const answer = await this.requestJson('POST', '/imports/labelbox-export', labelboxImportSchema, {
      upload: { body: await uploadBody(source), contentType: 'application/x-ndjson' },
    });
    return answer.counts;
  }

  /** The absolute URL of an API path (`/projects/x` → `<endpoint>/api/v1/projects/x`). */
  url(path: string): string {
    return `${this.endpoint}/api/v1${path}`;
  }

  /**
   * Edits a project: only the fields given change (null clears description or instructions).
   * @example
   * await client.updateProject(projectId, { instructions: '# Guide\nPrefer honest answers.' });
   */
  updateProject(id: string, edit: lifecycle.ProjectEdit): Promise<Project> {
    return lifecycle.updateProject(this, id, edit);
  }

  /** Archives a project: read-only, out of the queues, still exportable. */
  archiveProject(id: string): Promise<Project> {
    return lifecycle.setProjectArchived(this, id, true);
  }

  unarchiveProject(id: string): Promise<Project> {
    return lifecycle.setProjectArchived(this, id, false);
  }

  /**
   * Deletes a project: restorable with `restoreProject` within the server's retention window.
   * @example
   * const { state } = await client.deleteProject(projectId);
   */
  deleteProject(id: string, options?: lifecycle.DeleteOptions): Promise<lifecycle.Deletion> {
    return lifecycle.deleteResource(this, 'project', id, options);
  }

  restoreProject(id: string): Promise<lifecycle.Restoration> {
    return lifecycle.restoreResource(this, 'project', id);
  }

  updateDataset(id: string, edit: lifecycle.DatasetEdit): Promise<Dataset> {
    return lifecycle.updateDataset(this, id, edit);
  }

  /** Deletes a dataset with its data rows (and their labels in every project). */
  deleteDataset(id: string, options?: lifecycle.DeleteOptions): Promise<lifecycle.Deletion> {
    return lifecycle.deleteResource(this, 'dataset', id, options);
  }

  restoreDataset(id: string): Promise<lifecycle.Restoration> {
    return lifecycle.restoreResource(this, 'dataset', id);
  }

  /** Deletes a data row with its labels, reviews, comments and history, in every project. */
  deleteDataRow(id: string, options?: lifecycle.DeleteOptions): Promise<lifecycle.Deletion> {
    return lifecycle.deleteResource(this, 'data_row', id, options);
  }

  restoreDataRow(id: string): Promise<lifecycle.Restoration> {
    return lifecycle.restoreResource(this, 'data_row', id);
  }

  updateBatch(projectId: string, batchId: string, edit: lifecycle.BatchEdit): Promise<Batch> {
    return lifecycle.updateBatch(this, projectId, batchId, edit);
  }

  /**
   * Deletes a batch: its rows leave the project; `labels` says whether their labels go too.
   * @example
   * await client.deleteBatch(projectId, batchId, { labels: 'keep' });
   */
  deleteBatch(
    projectId: string,
    batchId: string,
    options: lifecycle.DeleteOptions & { labels: 'keep' | 'delete' },
  ): Promise<lifecycle.Deletion> {
    return lifecycle.deleteResource(this, 'batch', batchId, { ...options, projectId });
  }

  restoreBatch(projectId: string, batchId: string): Promise<lifecycle.Restoration> {
    return lifecycle.restoreResource(this, 'batch', batchId, projectId);
  }

  /** Deletes a label with its reviews (the row keeps its workflow status). */
  deleteLabel(
    projectId: string,
    labelId: string,
    options?: lifecycle.DeleteOptions,
  ): Promise<lifecycle.Deletion> {
    return lifecycle.deleteResource(this, 'label', labelId, { ...options, projectId });
  }

  restoreLabel(projectId: string, labelId: string): Promise<lifecycle.Restoration> {
    return lifecycle.restoreResource(this, 'label', labelId, projectId);
  }

  /**
   * Edits an ontology: a new name, or the whole ontology (ids kept). Questions and options may be
   * added; removing or renaming one that labels answer is refused (409 naming the labels).
   */
  async updateOntology(id: string, edit: { name?: string; ontology?: OntologyInput }): Promise<Ontology> {
    return new Ontology(
      await this.requestJson('PATCH', `/ontologies/${encodeURIComponent(id)}`, ontologyAnswerSchema, {
        body: edit,
      }),
    );
  }

  /** Sends a request and checks the JSON answer against `schema`. */
  async requestJson<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    options: RequestOptions = {},
  ): Promise<T> {
    const res = await this.request(method, path, options);
    const body: unknown = await res.json().catch((cause: unknown) => {
      throw new PreferError('the server answered with invalid JSON', { status: res.status, cause });
    });
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new PreferError(`unexpected answer from the server: ${parsed.error.message}`, {
        status: res.status,
      });
    }
    return parsed.data;
  }

  /** Sends a request; answers a 2xx Response (body unread) or throws a typed error. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (this.#apiKey) headers.Authorization = `Bearer ${this.#apiKey}`;
    if (this.#session && !SAFE_METHODS.has(method) && !PUBLIC_POSTS.has(path)) {
      headers['X-CSRF-Token'] = await this.#csrf();
    }
    let body: string | UploadBody | undefined;
    if (options.upload) {
      headers['Content-Type'] = options.upload.contentType;
      body = options.upload.body;
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    // A stream is read once: a request sending one is never replayed.
    const replayable = !(body instanceof ReadableStream);
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        const init: RequestInit & { duplex?: 'half' } = { method, headers, body };
        // Session mode: the cookie goes along, to this origin only.
        if (this.#session) init.credentials = 'same-origin';
        if (!replayable) init.duplex = 'half';
        res = await this.#send(this.url(path), init, options.signal);
      } catch (err) {
        // A POST that may have reached the server is not replayed: it could create a second task.
        if (err instanceof NetworkError && method === 'GET' && attempt < this.#maxRetries) {
          await sleep(backoffMs(attempt));
          continue;
        }
        throw err;
      }
      if (res.ok) return res;
      if (res.status === 429 && replayable && attempt < this.#maxRetries) {
        await res.body?.cancel();
        await sleep(this.#retryAfterMs(res.headers.get('retry-after'), attempt));
        continue;
      }
      if (method === 'GET' && RETRYABLE_GET.has(res.status) && attempt < this.#maxRetries) {
        await res.body?.cancel();
        await sleep(backoffMs(attempt));
        continue;
      }
      throw await errorFromResponse(res);
    }
  }

  async #send(url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutError('request timed out')), this.#timeoutMs);
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.#fetch(url, { ...init, signal: controller.signal });
    } catch (cause) {
      if (controller.signal.reason instanceof TimeoutError) {
        throw new TimeoutError(`no answer from ${url} within ${this.#timeoutMs} ms`, { cause });
      }
      if (signal?.aborted) throw cause;
      throw new NetworkError(`cannot reach ${this.endpoint}: ${(cause as Error).message}`, { cause });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The session's CSRF token: from `login`, else read once from `GET /auth/session`. */
  async #csrf(): Promise<string> {
    if (this.#csrfToken === undefined) {
      const wire = await this.requestJson('GET', '/auth/session', currentSessionSchema);
      this.#csrfToken = wire.csrfToken;
    }
    return this.#csrfToken;
  }

  #retryAfterMs(header: string | null, attempt: number): number {
    const seconds = parseRetryAfter(header);
    return seconds === undefined ? backoffMs(attempt) : Math.min(seconds, this.#maxRetryAfter) * 1000;
  }
}

function envApiKey(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.PREFER_API_KEY || undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const backoffMs = (attempt: number) => Math.min(250 * 2 ** attempt, 8000);

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - Date.now()) / 1000);
}

/** Maps an error answer to the typed error of its status. */
export async function errorFromResponse(res: Response): Promise<PreferError> {
  const text = await res.text().catch(() => '');
  let info: ErrorInfo = { status: res.status };
  let message = `HTTP ${res.status}`;
  try {
    const parsed = errorAnswerSchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      const e = parsed.data.error;
      message = e.message;
      info = { status: res.status, code: e.code, requestId: e.requestId, details: e.details };
    }
  } catch {
    // Not JSON (a proxy's page, say): keep the status line only, never echo a remote body.
  }
  switch (res.status) {
    case 401:
      return new AuthenticationError(message, info);
    case 403:
      return new AuthorizationError(message, info);
    case 404:
      return new ResourceNotFoundError(message, info);
    case 400:
    case 413:
    case 422:
      return new ValidationError(message, info);
    case 429:
      return new ApiLimitError(message, {
        ...info,
        retryAfterSeconds: parseRetryAfter(res.headers.get('retry-after')),
      });
    default:
      return new PreferError(message, info);
  }
}
