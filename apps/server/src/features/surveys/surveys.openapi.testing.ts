import type { OpenApiFixtures } from '../openapi/openapi.testing';

/** A ticket with a contact and two survey links of it (one opened, one answered). */
export const openapiFixtures: OpenApiFixtures = async ({ call, createTicket }) => {
  const org = await call<{ id: string }>('POST', '/api/organisations', {
    name: 'OpenAPI Survey Ltd',
  });
  const contact = await call<{ id: string }>('POST', '/api/contacts', {
    name: 'Survey Caller',
    email: 'survey.caller@example.com',
    organisationId: org.id,
  });
  const ticket = await createTicket();
  await call('POST', '/api/commands', {
    commandId: `openapi-survey-link-${ticket.id}`,
    type: 'ticket.customer.link',
    ticketId: ticket.id,
    organisationId: org.id,
    contactId: contact.id,
  });
  const tokenOf = async () => {
    const { url } = await call<{ url: string }>('POST', '/api/surveys/links', {
      ticketId: ticket.id,
    });
    return url.slice(url.indexOf('#') + 1);
  };
  const openToken = await tokenOf();
  const answerToken = await tokenOf();
  return {
    openSurvey: { body: (e) => ({ ...e, token: openToken }) },
    answerSurvey: { body: (e) => ({ ...e, token: answerToken }) },
    createSurveyLink: { body: () => ({ ticketId: ticket.id }) },
    listSurveyFollowUps: { params: { id: org.id } },
  };
};
