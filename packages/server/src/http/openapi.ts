/**
 * The OpenAPI 3.1 document, generated from the route specs (http/api-router.ts) with zod's own
 * JSON Schema output (draft 2020-12, which OpenAPI 3.1 uses). The committed copy is
 * `docs/openapi.json`; `npm run openapi` rewrites it and a test fails when it drifts.
 */
import { errorBodySchema } from '@prefer/schemas';
import { z } from 'zod';
import { actionOf } from '../audit/audit.record.ts';
import { PERMISSIONS } from '../auth/permissions.ts';
import type { DeclaredRoute } from './api-router.ts';

const VERSION = '1.0.0';

/** The error answer of every route, from the shared wire schema (@prefer/schemas wire/errors.ts). */
const errorSchema = (): unknown => jsonSchema(errorBodySchema, 'output');

export function openApiDocument(routes: readonly DeclaredRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const sorted = [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  for (const route of sorted) {
    const path = route.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'prefer API',
      version: VERSION,
      description:
        'Every route but the public ones takes an API key (`Authorization: Bearer prefer_…`) or a browser session cookie with `X-CSRF-Token`. `x-permission` names the row of the permission matrix a route requires.',
    },
    servers: [{ url: '/api/v1' }],
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `prefer keys create`' },
        session: { type: 'apiKey', in: 'cookie', name: '__Host-prefer_session' },
      },
      schemas: { Error: errorSchema() },
    },
    paths,
  };
}

function operation(route: DeclaredRoute): Record<string, unknown> {
  const parameters = [
    ...parametersOf(route.params, 'path'),
    ...parametersOf(route.query, 'query'),
    ...parametersOf(route.headers, 'header'),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const type = spec.contentType ?? 'application/json';
    responses[status] = {
      description: spec.description,
      ...(spec.schema ? { content: { [type]: { schema: jsonSchema(spec.schema, 'output') } } } : {}),
      ...(!spec.schema && spec.contentType ? { content: { [type]: {} } } : {}),
    };
  }
  responses.default = {
    description: 'An error',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
  const isPublic = route.permission === 'public';
  const roles = isPublic
    ? ''
    : ` Roles: ${PERMISSIONS[route.permission as keyof typeof PERMISSIONS].roles.join(', ')}.`;
  return {
    operationId: operationId(route),
    summary: route.summary,
    ...(isPublic ? {} : { description: `Permission \`${route.permission}\`.${roles}` }),
    tags: [route.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: false,
            content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
          },
        }
      : {}),
    ...(route.rawBody
      ? {
          requestBody: {
            required: true,
            description: `${route.rawBody.description} (at most ${route.rawBody.maxBytes} bytes)`,
            content: { [route.rawBody.contentType]: {} },
          },
        }
      : {}),
    responses,
    security: isPublic ? [] : [{ apiKey: [] }, { session: [] }],
    'x-permission': route.permission,
  };
}

function parametersOf(schema: z.ZodObject | undefined, where: 'path' | 'query' | 'header'): unknown[] {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

/** `GET /projects/:projectId/batches` → `get_projects_projectId_batches`: stable and unique. */
const operationId = actionOf;
