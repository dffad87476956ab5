import type { OpenApiFixtures } from '../openapi/openapi.testing';

/** A closed ticket in this month, and a hand-drawn sample of this month that holds it. */
export const openapiFixtures: OpenApiFixtures = async ({ call, createTicket }) => {
  await call('POST', '/api/groups', { id: 'qafix', name: 'QA fixture', nameZh: '质检', tier: 1 });
  const users = await call<{ users: Array<{ id: string; username: string }> }>('GET', '/api/users');
  const adminId = users.users.find((u) => u.username === 'admin')?.id;
  const ticket = await createTicket();
  for (const body of [
    { type: 'ticket.classify', category: 'network' },
    { type: 'ticket.assign', groupId: 'qafix', assigneeId: adminId },
    { type: 'ticket.accept' },
    { type: 'ticket.resolve', code: 'fixed', summary: 'Restarted the service' },
    { type: 'ticket.followUp', outcome: 'satisfied' },
    { type: 'ticket.close' },
  ])
    await call('POST', '/api/commands', {
      commandId: `qafix-${body.type}-${ticket.id}`,
      ticketId: ticket.id,
      ...body,
    });
  // This month in the desk's time zone (Asia/Shanghai, UTC+8 all year).
  const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
  const drawn = await call<{ sample: { id: string }; items: Array<{ id: string }> }>(
    'POST',
    '/api/qa/samples',
    { period: month, seed: 'fixture' },
  );
  const item = drawn.items[0];
  if (!item) throw new Error('the QA fixture sample holds no item');
  return {
    drawQaSample: { body: () => ({ period: month, seed: 'fixture-2' }) },
    getQaSample: { params: { id: drawn.sample.id } },
    recordQaVerdict: { params: { id: item.id } },
  };
};
