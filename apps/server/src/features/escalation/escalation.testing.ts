import { ADMIN_PASSWORD, type TestServer } from '../../testing/harness';

/** What the escalation tests start from: the admin signed in (its token returned) and group `l2`. */
export async function signInAndAddL2(server: TestServer): Promise<string> {
  const admin = await server.login('admin', ADMIN_PASSWORD);
  await server.api('POST', '/api/groups', {
    token: admin,
    body: { id: 'l2', name: 'L2', nameZh: '二线', tier: 2 },
  });
  return admin;
}
