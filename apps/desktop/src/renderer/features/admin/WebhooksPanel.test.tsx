import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { AdminScreen } from './AdminScreen';
import { invalid, ok, renderAdmin, scriptedApi } from './adminTesting';
import { splitPatterns } from './WebhooksPanel';

const hook = {
  id: 'w1',
  url: 'https://hooks.example.com/desk',
  events: ['ticket.*'],
  groupIds: [],
  organisations: [],
  description: 'chat room',
  status: 'active',
  pausedReason: null,
  cursorSeq: 42,
  failing: {
    attempts: 3,
    since: '2026-03-02T02:00:00.000Z',
    nextAttemptAt: '2026-03-02T02:01:00.000Z',
    lastError: 'answered 500',
  },
  createdAt: '2026-03-01T02:00:00.000Z',
  updatedAt: '2026-03-01T02:00:00.000Z',
  previousSecretExpiresAt: null,
};

describe('<AdminScreen> webhooks', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it('splits typed patterns on commas and spaces', () => {
    expect(splitPatterns(' ticket.*, sla.breached  alert.raised,')).toEqual([
      'ticket.*',
      'sla.breached',
      'alert.raised',
    ]);
  });

  it('subscribes, shows the secret once, and the server’s refusal under the URL', async () => {
    const user = userEvent.setup();
    let posts = 0;
    const api = scriptedApi({
      'GET /webhooks': ok({ webhooks: [] }),
      'POST /webhooks': () => {
        posts += 1;
        return posts === 1
          ? invalid([{ path: 'url', message: '10.0.0.1 is not a public address (private)' }])
          : ok({ ...hook, failing: null, secret: 'whsec_c2VjcmV0c2VjcmV0' }, 201);
      },
    });
    renderAdmin(<AdminScreen section="webhooks" />, api);
    expect(await screen.findByText('No webhooks yet.')).toBeTruthy();
    const url = screen.getByLabelText('Receiver URL');
    await user.type(url, 'http://10.0.0.1/x');
    await user.click(screen.getByRole('button', { name: 'Subscribe' }));
    expect(await screen.findByText('10.0.0.1 is not a public address (private)')).toBeTruthy();
    expect(url.getAttribute('aria-invalid')).toBe('true');

    await user.clear(url);
    await user.type(url, 'https://hooks.example.com/desk');
    await user.click(screen.getByRole('button', { name: 'Subscribe' }));
    const dialog = await screen.findByRole('dialog', { name: 'Signing secret' });
    expect((within(dialog).getByLabelText('Secret') as HTMLInputElement).value).toBe(
      'whsec_c2VjcmV0c2VjcmV0',
    );
    expect(api.calls.filter((c) => c.method === 'POST')[1]?.body).toEqual({
      url: 'https://hooks.example.com/desk',
      events: ['ticket.*', 'sla.breached', 'alert.raised'],
    });
    await user.click(within(dialog).getByRole('button', { name: 'I have copied it' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByDisplayValue('whsec_c2VjcmV0c2VjcmV0')).toBeNull();
  });

  it('lists each webhook’s state, pauses one and shows its delivery log', async () => {
    const user = userEvent.setup();
    const api = scriptedApi({
      'GET /webhooks': ok({ webhooks: [hook] }),
      'POST /webhooks/w1/pause': ok({ ...hook, status: 'paused', pausedReason: 'admin' }),
      'GET /webhooks/w1/deliveries?limit=50': ok({
        deliveries: [
          {
            id: 'msg_w1_43',
            seq: 43,
            eventType: 'ticket.created',
            attempt: 3,
            outcome: 'http_error',
            httpStatus: 500,
            durationMs: 12,
            error: 'answered 500',
            at: '2026-03-02T02:00:30.000Z',
          },
        ],
        next: null,
      }),
    });
    renderAdmin(<AdminScreen section="webhooks" />, api);
    expect(await screen.findByText('retrying')).toBeTruthy();
    expect(screen.getByText(/3 failed attempts since/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: `Pause ${hook.url}` }));
    expect(await screen.findByText(`Paused ${hook.url}.`)).toBeTruthy();
    expect(api.calls.some((c) => c.method === 'POST' && c.path === '/webhooks/w1/pause')).toBe(
      true,
    );

    await user.click(screen.getByRole('button', { name: `Delivery log of ${hook.url}` }));
    const dialog = await screen.findByRole('dialog', { name: `Deliveries to ${hook.url}` });
    expect(await within(dialog).findByText('refused by the receiver (500)')).toBeTruthy();
    expect(within(dialog).getByText('ticket.created')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('is in the admin navigation for admins only', async () => {
    const api = scriptedApi({
      'GET /users': ok({ users: [] }),
      'GET /groups': ok({ groups: [] }),
      'GET /webhooks': ok({ webhooks: [] }),
    });
    renderAdmin(<AdminScreen section="webhooks" />, api, ['duty_manager']);
    const nav = await screen.findByRole('navigation', { name: 'Admin sections' });
    expect(within(nav).queryByRole('link', { name: 'Webhooks' })).toBeNull();
    cleanup();
    renderAdmin(<AdminScreen section="webhooks" />, api, ['admin']);
    const adminNav = await screen.findByRole('navigation', { name: 'Admin sections' });
    expect(within(adminNav).getByRole('link', { name: 'Webhooks' })).toBeTruthy();
  });
});
