import type { OpenApiFixtures } from '../openapi/openapi.testing';

/** A ticket to declare, two open incidents (announce, close) and a closed one (root cause). */
export const openapiFixtures: OpenApiFixtures = async ({ call, createTicket }) => {
  const toDeclare = await createTicket();
  const [open, toClose, closed, withChild] = [
    await createTicket(),
    await createTicket(),
    await createTicket(),
    await createTicket(),
  ];
  const [child, linked] = [await createTicket(), await createTicket()];
  for (const t of [open, toClose, closed, withChild])
    await call('POST', `/api/major-incidents/${t.id}`, { childTicketIds: [] });
  await call('POST', `/api/major-incidents/${closed.id}/close`, { summary: 'fixture closed' });
  await call('POST', `/api/major-incidents/${withChild.id}/children`, {
    childTicketIds: [linked.id],
  });
  return {
    declareMajorIncident: { params: { ticketId: toDeclare.id } },
    getMajorIncident: { params: { ticketId: open.id } },
    announceMajorIncident: { params: { ticketId: open.id } },
    closeMajorIncident: { params: { ticketId: toClose.id } },
    recordRootCause: { params: { ticketId: closed.id } },
    linkMajorIncidentChildren: {
      params: { ticketId: open.id },
      body: () => ({ childTicketIds: [child.id] }),
    },
    unlinkMajorIncidentChild: { params: { ticketId: withChild.id, childId: linked.id } },
  };
};
