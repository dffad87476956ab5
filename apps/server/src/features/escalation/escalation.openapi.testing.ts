import type { OpenApiFixtures } from '../openapi/openapi.testing';

/** An alert: declaring a major incident raises one. */
export const openapiFixtures: OpenApiFixtures = async ({ call, createTicket }) => {
  const t = await createTicket();
  await call('POST', `/api/major-incidents/${t.id}`, { childTicketIds: [] });
  const { alerts } = await call<{ alerts: Array<{ id: string; ticketId: string | null }> }>(
    'GET',
    `/api/alerts?ticketId=${t.id}`,
  );
  const id = alerts[0]?.id;
  if (!id) throw new Error('declaring a major incident raised no alert');
  return { getAlert: { params: { id } }, acknowledgeAlert: { params: { id } } };
};
