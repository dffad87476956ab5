import type { OpenApiFixtures } from '../openapi/openapi.testing';

/** A training run to read (on an empty history it ends `failed` at once: nothing to learn). */
export const openapiFixtures: OpenApiFixtures = async ({ call }) => {
  const { jobId } = await call<{ jobId: string }>('POST', '/api/classifier/train');
  return { getClassifierJob: { params: { id: jobId } } };
};
