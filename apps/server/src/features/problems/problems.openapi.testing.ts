import type { OpenApiFixtures } from '../openapi/openapi.testing';

/**
 * Problems for each step's example (one being analysed, one with its root cause to confirm,
 * one confirmed to close, one of a portal customer's), a requested and an approved change, and
 * that customer's portal session.
 */
export const openapiFixtures: OpenApiFixtures = async ({ call }) => {
  const users = await call<{ users: Array<{ id: string; username: string }> }>('GET', '/api/users');
  const adminId = users.users.find((u) => u.username === 'admin')?.id ?? '';
  const contact = await call<{ id: string }>('POST', '/api/contacts', {
    name: 'OpenAPI Problem Contact',
    email: 'openapi.problem@example.com',
  });
  await call('POST', '/api/portal/accounts', {
    contactId: contact.id,
    password: 'problem-portal-pass-1',
  });
  const session = await call<{ token: string }>('POST', '/api/portal/login', {
    login: 'openapi.problem@example.com',
    password: 'problem-portal-pass-1',
  });
  const problem = async (title: string, rootCause?: string, contactId?: string) => {
    const p = await call<{ id: string }>('POST', '/api/problems', {
      title,
      ...(contactId ? { contactId } : {}),
    });
    if (rootCause) await call('PATCH', `/api/problems/${p.id}`, { rootCause });
    return p.id;
  };
  const analysed = await problem('OpenAPI analysed problem');
  const withAction = await call<{ actions: Array<{ id: string }> }>(
    'POST',
    `/api/problems/${analysed}/actions`,
    { title: 'Fixture action', ownerId: adminId, dueAt: '2026-12-10T10:00:00.000Z' },
  );
  const actionId = withAction.actions[0]?.id ?? '';
  const toConfirm = await problem('OpenAPI problem to confirm', 'Fixture root cause');
  const toClose = await problem('OpenAPI problem to close', 'Fixture root cause');
  await call('POST', `/api/problems/${toClose}/confirm`, { note: 'fixture' });
  const customers = await problem('OpenAPI portal problem', 'Fixture root cause', contact.id);
  const change = (summary: string) =>
    call<{ id: string }>('POST', '/api/changes', {
      summary,
      risk: 'low',
      plannedStart: '2026-12-10T01:00:00.000Z',
      plannedEnd: '2026-12-10T02:00:00.000Z',
    });
  const requested = await change('OpenAPI requested change');
  const approved = await change('OpenAPI approved change');
  await call('POST', `/api/changes/${approved.id}/decision`, { approved: true });
  const owner = (b: Record<string, unknown>) => ({ ...b, ownerId: adminId });
  return {
    getProblem: { params: { id: analysed } },
    updateProblem: { params: { id: analysed } },
    addProblemAction: { params: { id: analysed }, body: owner },
    saveProblemAction: { params: { id: analysed, actionId }, body: owner },
    sendFaultReport: { params: { id: analysed } },
    confirmProblem: { params: { id: toConfirm } },
    closeProblem: { params: { id: toClose } },
    getChange: { params: { id: requested.id } },
    decideChange: { params: { id: requested.id } },
    completeChange: { params: { id: approved.id } },
    portalProblems: { token: session.token },
    portalProblem: { params: { id: customers }, token: session.token },
    portalConfirmProblem: { params: { id: customers }, token: session.token },
  };
};
