import type { OpenApiFixtures } from '../openapi/openapi.testing';

/**
 * Articles for the examples: one per state a step needs (a draft to review, a reviewed one to
 * publish, published ones to retire, rate and read publicly), and a resolved ticket for a case.
 */
export const openapiFixtures: OpenApiFixtures = async ({ call, createTicket }) => {
  const write = (title: string) =>
    call<{ id: string }>('POST', '/api/kb/articles', {
      title,
      body: `## Fix\n\n${title}`,
      language: 'en',
      visibility: 'public',
    });
  const step = (id: string, what: 'review' | 'publish') =>
    call('POST', `/api/kb/articles/${id}/${what}`, {});
  const draft = await write('OpenAPI draft');
  const reviewed = await write('OpenAPI reviewed');
  await step(reviewed.id, 'review');
  const published = await write('OpenAPI published');
  await step(published.id, 'review');
  await step(published.id, 'publish');
  const retiring = await write('OpenAPI retiring');
  await step(retiring.id, 'review');
  await step(retiring.id, 'publish');

  await call('POST', '/api/groups', { id: 'kbfix', name: 'KB fixture', nameZh: '知识', tier: 2 });
  const users = await call<{ users: Array<{ id: string; username: string }> }>('GET', '/api/users');
  const adminId = users.users.find((u) => u.username === 'admin')?.id;
  const ticket = await createTicket();
  const command = (body: Record<string, unknown>) =>
    call('POST', '/api/commands', {
      commandId: `kbfix-${String(body.type)}-${ticket.id}`,
      ticketId: ticket.id,
      ...body,
    });
  await command({ type: 'ticket.classify', category: 'network' });
  await command({ type: 'ticket.assign', groupId: 'kbfix', assigneeId: adminId });
  await command({ type: 'ticket.accept' });
  await command({ type: 'ticket.resolve', code: 'fixed', summary: 'Renewed the certificate' });

  return {
    getKbArticle: { params: { id: published.id } },
    listKbRevisions: { params: { id: published.id } },
    editKbArticle: { params: { id: draft.id } },
    reviewKbArticle: { params: { id: draft.id } },
    publishKbArticle: { params: { id: reviewed.id } },
    retireKbArticle: { params: { id: retiring.id } },
    rateKbArticle: { params: { id: published.id } },
    getPublicKbArticle: { params: { id: published.id } },
    makeKbCase: { body: (example) => ({ ...example, ticketId: ticket.id }) },
  };
};
