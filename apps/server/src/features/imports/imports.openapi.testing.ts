import type { OpenApiFixtures } from '../openapi/openapi.testing';

/** An import job to read. */
export const openapiFixtures: OpenApiFixtures = async ({ url, admin }) => {
  const res = await fetch(`${url}/api/import/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/x-ndjson' },
    body: '{"description":"Printer on floor 3 jams","category":"Hardware"}\n',
  });
  if (res.status !== 202) throw new Error(`fixture import: ${res.status} ${await res.text()}`);
  const { jobId } = (await res.json()) as { jobId: string };
  return { getImportJob: { params: { id: jobId } } };
};
