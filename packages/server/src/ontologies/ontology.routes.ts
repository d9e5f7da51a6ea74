/** Ontologies: `POST /ontologies` (a Labelbox ontology JSON), `GET /ontologies`, `GET /ontologies/:ontologyId`. */
import { ontologySchema } from '@prefer/schemas';
import { z } from 'zod';
import type { ApiRouter } from '../http/api-router.ts';
import { pageOf, pageQuery } from '../shared/cursor.ts';
import { formatV2 } from '../shared/time.ts';
import { editOntology } from './ontology.edit.ts';
import { createOntology, getOntology, listOntologyPage, type OntologyRecord } from './ontology.service.ts';

const createBody = z.strictObject({
  name: z.string(),
  /** `{ "tools": [], "classifications": [...] }`, checked by the service (422 with faults). */
  ontology: z.unknown(),
});

const ontologyWire = (o: OntologyRecord) => ({
  id: o.id,
  name: o.name,
  created_at: formatV2(o.createdAt),
  updated_at: formatV2(o.updatedAt),
  normalized: o.normalized,
});

export function ontologyRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'post',
    path: '/ontologies',
    summary: 'Create an ontology from a Labelbox ontology JSON',
    tag: 'ontologies',
    permission: 'ontologies.write',
    body: createBody,
    responses: { 201: { description: 'The ontology as stored', schema: ontologySchema } },
    handler: async (c, { actor, body }) => {
      const created = await createOntology(store, actor, { name: body.name, ontology: body.ontology });
      return c.json(ontologyWire(await getOntology(store, actor, created.id)), 201);
    },
  });
  api.route({
    method: 'get',
    path: '/ontologies',
    summary: "List the organization's ontologies, oldest first",
    tag: 'ontologies',
    permission: 'ontologies.read',
    query: z.strictObject(pageQuery),
    responses: { 200: { description: 'A page of ontologies', schema: pageOf(ontologySchema) } },
    handler: async (c, { actor, query }) => {
      const page = await listOntologyPage(store, actor, query);
      return c.json({ items: page.items.map(ontologyWire), nextCursor: page.nextCursor });
    },
  });
  api.route({
    method: 'get',
    path: '/ontologies/:ontologyId',
    summary: 'Get an ontology',
    tag: 'ontologies',
    permission: 'ontologies.read',
    params: z.object({ ontologyId: z.string().min(1).max(64) }),
    responses: { 200: { description: 'The ontology', schema: ontologySchema } },
    handler: async (c, { actor, params }) =>
      c.json(ontologyWire(await getOntology(store, actor, params.ontologyId))),
  });
  api.route({
    method: 'patch',
    path: '/ontologies/:ontologyId',
    summary:
      'Edit an ontology: its name, or the whole ontology (ids kept; add questions and options freely, remove or rename only what no label answers)',
    tag: 'ontologies',
    permission: 'ontologies.write',
    params: z.object({ ontologyId: z.string().min(1).max(64) }),
    body: z.strictObject({ name: z.string().optional(), ontology: z.unknown().optional() }),
    responses: {
      200: { description: 'The ontology as stored', schema: ontologySchema },
      409: { description: 'A removed or renamed question or option is answered by labels (named)' },
    },
    handler: async (c, { actor, params, body }) => {
      await editOntology(store, actor, params.ontologyId, body);
      return c.json(ontologyWire(await getOntology(store, actor, params.ontologyId)));
    },
  });
}
