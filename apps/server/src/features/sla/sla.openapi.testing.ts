import type { OpenApiFixtures } from '../openapi/openapi.testing';

/** A background re-plan: saving the policies as they are starts one. */
export const openapiFixtures: OpenApiFixtures = async ({ call }) => {
  const policies = await call('GET', '/api/sla/policies');
  const saved = await call<{ replan: { id: string } }>('PUT', '/api/sla/policies', policies);
  return { getSlaReplan: { params: { id: saved.replan.id } } };
};
