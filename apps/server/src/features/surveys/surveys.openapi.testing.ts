import type { OpenApiFixtures } from '../openapi/openapi.testing';

/**
 * A ticket with a contact and two survey links of it (one opened, one answered); a resolved
 * ticket of that contact with a signed portal link (the portal's survey routes).
 */
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
  await call('POST', '/api/groups', {
    id: 'osv',
    name: 'OpenAPI Surveys',
    nameZh: '调查',
    tier: 2,
  });
  const users = await call<{ users: Array<{ id: string; username: string }> }>('GET', '/api/users');
  const adminId = users.users.find((u) => u.username === 'admin')?.id ?? '';
  const resolved = await createTicket();
  const run = (type: string, extra: Record<string, unknown>) =>
    call('POST', '/api/commands', {
      commandId: `openapi-survey-${type}-${resolved.id}`,
      type,
      ticketId: resolved.id,
      ...extra,
    });
  await run('ticket.customer.link', { organisationId: org.id, contactId: contact.id });
  await run('ticket.classify', { category: 'network' });
  await run('ticket.assign', { groupId: 'osv', assigneeId: adminId });
  await run('ticket.accept', {});
  await run('ticket.resolve', { code: 'fixed', summary: 'Replaced the cable' });
  const portal = await call<{ token: string }>('POST', '/api/portal/links', {
    ticketId: resolved.id,
  });
  const openToken = await tokenOf();
  const answerToken = await tokenOf();
  return {
    openSurvey: { body: (e) => ({ ...e, token: openToken }) },
    answerSurvey: { body: (e) => ({ ...e, token: answerToken }) },
    createSurveyLink: { body: () => ({ ticketId: ticket.id }) },
    listSurveyFollowUps: { params: { id: org.id } },
    portalSurveyState: { params: { id: resolved.id }, token: portal.token },
    portalSurveyLink: { params: { id: resolved.id }, token: portal.token },
  };
};
