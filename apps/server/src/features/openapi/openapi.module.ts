/** The OpenAPI feature: `GET /api/openapi.json` built from every module's operations, and the reference page at `/api/docs`. */
import type { FeatureModule } from '../../modules';
import { SERVER_VERSION } from '../../version';
import { buildOpenApiDocument, type OpenApiDocument } from './document';
import { openapiApi } from './openapi.openapi';
import { createOpenApiRouter } from './openapi.routes';

/** `modules`: every feature module of the server, this one included (read at the first request; the document is built once). */
export function createOpenApiModule(modules: () => readonly FeatureModule[]): FeatureModule {
  let document: OpenApiDocument | null = null;
  const build = (): OpenApiDocument =>
    (document ??= buildOpenApiDocument(
      modules().flatMap((m) => m.openapi ?? []),
      { version: SERVER_VERSION },
    ));
  return {
    name: 'openapi',
    http: [{ path: '/api', handler: createOpenApiRouter(build) }],
    openapi: openapiApi,
  };
}
