import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { AdminApiContext } from './adminApi';
import type { AdminApi, AdminOutcome } from './adminApi';

export interface Call {
  method: string;
  path: string;
  body: unknown;
  contentType: string | undefined;
}

type Answer = AdminOutcome<unknown> | ((call: Call) => AdminOutcome<unknown>);

/** An admin client answering from a table `"METHOD /path"` → answer; records every call. */
export function scriptedApi(answers: Record<string, Answer>): AdminApi & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    request: vi.fn(
      (_token: string, method: string, path: string, body?: unknown, contentType?: string) => {
        const call = { method, path, body, contentType };
        calls.push(call);
        const answer = answers[`${method} ${path}`];
        const outcome =
          typeof answer === 'function'
            ? answer(call)
            : (answer ?? {
                ok: false as const,
                status: 404,
                code: 'not_found',
                message: 'none',
                fields: [],
              });
        return Promise.resolve(outcome);
      },
    ) as AdminApi['request'],
  };
}

export const ok = <T,>(body: T, status = 200): AdminOutcome<T> => ({ ok: true, status, body });
export const invalid = (
  fields: Array<{ path: string; message: string }>,
  message = 'Invalid',
): AdminOutcome<never> => ({
  ok: false,
  status: 400,
  code: 'invalid',
  message,
  fields,
});

export const adminSession = {
  ...session,
  user: {
    ...session.user,
    id: 'admin-1',
    username: 'admin',
    displayName: 'Admin',
    roles: ['admin'],
  },
};

/** Renders an admin screen signed in as `roles` with the scripted client. */
export function renderAdmin(
  ui: ReactElement,
  api: AdminApi,
  roles: string[] = ['admin'],
): ReturnType<typeof renderWith> {
  const services = fakeServices();
  services.store.getState().signIn({ ...adminSession, user: { ...adminSession.user, roles } });
  return renderWith(
    <AdminApiContext.Provider value={api}>{ui}</AdminApiContext.Provider>,
    services,
  );
}
