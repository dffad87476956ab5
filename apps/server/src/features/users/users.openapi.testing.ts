import type { OpenApiFixtures } from '../openapi/openapi.testing';

/** The group the user example joins; the user the account examples act on. */
export const openapiFixtures: OpenApiFixtures = async ({ call, login }) => {
  await call('POST', '/api/groups', {
    id: 'l1-desk',
    name: 'L1 Desk',
    nameZh: '一线服务台',
    tier: 1,
  });
  const { id } = await call<{ id: string }>('POST', '/api/users', {
    username: 'target.user',
    password: 'target password 1',
    displayName: 'Target',
    roles: ['agent'],
  });
  const params = { id };
  // Another user's session to list and end (the account examples above end the target's).
  const other = await call<{ id: string }>('POST', '/api/users', {
    username: 'session.user',
    password: 'session password 1',
    displayName: 'Sessions',
    roles: ['agent'],
  });
  await login('session.user', 'session password 1');
  const { sessions } = await call<{ sessions: Array<{ id: string }> }>(
    'GET',
    `/api/users/${other.id}/sessions`,
  );
  const sessionId = sessions[0]?.id;
  if (!sessionId) throw new Error('a sign-in opened no session');
  return {
    updateUser: { params },
    listUserSessions: { params: { id: other.id } },
    revokeUserSession: { params: { id: other.id, sessionId } },
    revokeUserSessions: { params },
    disableUser: { params },
    enableUser: { params },
    resetUserPassword: { params },
  };
};
