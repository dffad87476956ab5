import { z } from 'zod';
import { defineApi, json } from '../openapi';

/** `/healthz` and `/metrics` (health.routes.ts), outside `/api`, unauthenticated. */
export const healthApi = defineApi('health', [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'getHealth',
    tagDescription: "A node's liveness and Prometheus metrics, outside `/api` and unauthenticated.",
    summary: 'Liveness: the node answers and which database it runs on',
    auth: 'public',
    responses: {
      200: json(
        z.object({ ok: z.literal(true), db: z.enum(['pglite', 'postgres']), version: z.string() }),
        'Alive',
      ),
    },
    example: {},
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    summary: "This node's Prometheus metrics (docs/operations.md lists them)",
    description: 'Unauthenticated: fence it at the network.',
    auth: 'public',
    responses: {
      200: {
        description: 'Prometheus text exposition format',
        schema: z.string(),
        contentType: 'text/plain',
      },
    },
    example: {},
  },
]);
