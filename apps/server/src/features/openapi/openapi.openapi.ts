import { z } from 'zod';
import { defineApi } from './spec';

/** The spec and the reference page document themselves. */
export const openapiApi = defineApi('api', [
  {
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApi',
    tagDescription: 'This document and the interactive reference page.',
    summary: 'This OpenAPI 3.1 document',
    auth: 'public',
    responses: {
      200: {
        description: 'The OpenAPI document of every REST route',
        schema: z
          .object({
            openapi: z.string(),
            info: z.object({ title: z.string(), version: z.string() }).catchall(z.unknown()),
            paths: z.record(z.string(), z.unknown()),
            components: z.record(z.string(), z.unknown()),
          })
          .catchall(z.unknown()),
      },
    },
    example: {},
  },
  {
    method: 'get',
    path: '/api/docs',
    operationId: 'getApiReference',
    summary: 'The interactive API reference (a page for a browser)',
    auth: 'public',
    responses: {
      200: { description: 'An HTML page', schema: z.string(), contentType: 'text/html' },
    },
    example: {},
  },
  {
    method: 'get',
    path: '/api/docs/scalar.js',
    operationId: 'getApiReferenceScript',
    summary: "The reference page's script, served by this server (no CDN)",
    auth: 'public',
    responses: {
      200: { description: 'JavaScript', schema: z.string(), contentType: 'text/javascript' },
    },
    example: {},
  },
]);
