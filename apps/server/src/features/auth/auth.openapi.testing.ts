import type { OpenApiFixtures } from '../openapi/openapi.testing';

/** The users the sign-in and password examples name; a session that logout may end. */
export const openapiFixtures: OpenApiFixtures = async ({ call, login }) => {
  for (const [username, password] of [
    ['li.na', 'correct horse battery'],
    ['zhao.lei', 'winter lamp river 3'],
  ]) {
    await call('POST', '/api/users', {
      username,
      password,
      displayName: username,
      roles: ['agent'],
    });
  }
  return {
    logout: { token: await login('li.na', 'correct horse battery') },
    changeOwnPassword: { token: await login('zhao.lei', 'winter lamp river 3') },
  };
};
