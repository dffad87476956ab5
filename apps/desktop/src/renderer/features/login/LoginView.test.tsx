import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../app/api';
import { session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { LoginView } from './LoginView';

afterEach(() => cleanup());

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

async function signIn(fetchImpl: typeof fetch) {
  const user = userEvent.setup();
  const services = fakeServices({ api: createApi(fetchImpl) });
  renderWith(<LoginView />, services);
  await user.type(screen.getByLabelText('Username'), 'li.na');
  await user.type(screen.getByLabelText('Password'), 'secret-pass');
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
  return services;
}

describe('<LoginView>', () => {
  it('shows an error on 401 and stays signed out', async () => {
    const fetchImpl = vi.fn(() =>
      Promise.resolve(
        jsonResponse(401, { error: { code: 'unauthorized', message: 'bad credentials' } }),
      ),
    );
    const services = await signIn(fetchImpl);
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong username or password.');
    expect(services.store.getState().session).toBeNull();
    expect(fetchImpl).toHaveBeenCalledWith(
      '/api/auth/login',
      expect.objectContaining({
        method: 'POST',
        body: JSON.stringify({ username: 'li.na', password: 'secret-pass' }),
      }),
    );
  });

  it('explains rate limiting and network failures', async () => {
    await signIn(() => Promise.resolve(jsonResponse(429, {})));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Too many attempts/);
    cleanup();
    await signIn(() => Promise.reject(new TypeError('fetch failed')));
    expect((await screen.findByRole('alert')).textContent).toMatch(/cannot be reached/);
  });

  it('says how long to wait when the server spaces attempts (Retry-After)', async () => {
    await signIn(() =>
      Promise.resolve(
        new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'wait' } }), {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': '4' },
        }),
      ),
    );
    expect((await screen.findByRole('alert')).textContent).toMatch(/Try again in 4 s/);
  });

  it('signs in on 200 and asks for notification permission', async () => {
    const services = await signIn(() =>
      Promise.resolve(jsonResponse(200, { token: 'tok-1', user: session.user })),
    );
    expect(services.store.getState().session).toEqual(session);
    expect(services.host.requestNotificationPermission).toHaveBeenCalled();
  });

  it('keeps the submit button disabled until both fields are filled', async () => {
    const user = userEvent.setup();
    renderWith(<LoginView />);
    const submit = screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await user.type(screen.getByLabelText('Username'), 'a');
    expect(submit.disabled).toBe(true);
    await user.type(screen.getByLabelText('Password'), 'b');
    expect(submit.disabled).toBe(false);
  });
});
