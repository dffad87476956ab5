import type { OpenApiFixtures } from '../openapi/openapi.testing';

/** A ticket to read. */
export const openapiFixtures: OpenApiFixtures = async ({ createTicket }) => {
  const t = await createTicket();
  return {
    getTicket: { params: { id: t.id } },
    getTicketTimeline: { params: { id: t.id } },
    getTicketByNumber: { params: { number: t.number } },
  };
};
