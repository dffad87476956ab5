import type { OpenApiFixtures } from '../openapi/openapi.testing';

/** A desk report of this month so far, kept on demand: the examples read it. */
export const openapiFixtures: OpenApiFixtures = async ({ call }) => {
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const made = await call<{ id: string }>('POST', '/api/service-reports', {
    from: `${today.slice(0, 8)}01`,
    to: today,
    organisationId: null,
  });
  return {
    getServiceReport: { params: { id: made.id } },
    getServiceReportPdf: { params: { id: made.id } },
  };
};
