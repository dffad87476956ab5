import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTicket, session } from '../test/fixtures';
import { fakeServices } from '../test/render';
import { App } from './App';
import { bindBridgeToSession } from './bootstrap';
import { navigate } from './router';

beforeEach(() => window.history.replaceState(null, '', '/'));
afterEach(() => cleanup());

describe('<App>', () => {
  it('shows the login when signed out', () => {
    render(<App services={fakeServices()} />);
    expect(screen.getByRole('heading', { name: 'Sign in to the service desk' })).toBeTruthy();
  });

  it('shows the console with an honest connection status when signed in', () => {
    const services = fakeServices();
    services.store.getState().signIn(session);
    render(<App services={services} />);
    expect(screen.getByRole('heading', { name: 'Queue' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Not connected');
    act(() => services.store.getState().setConnection({ status: 'live', lastEventAt: Date.now() }));
    expect(screen.getByTestId('connection').textContent).toMatch(/Live.*last update 0 s ago/);
    // Announced: the status only; the age, which changes every second, stays out of it.
    expect(screen.getByRole('status').textContent).toBe('Live');
  });

  it('routes /wallboard without a session and /tickets/:id to the ticket workspace', async () => {
    const services = fakeServices();
    services.store.getState().loadSnapshot({
      seq: 1,
      tickets: [makeTicket({ id: '42', title: 'Core switch down' })],
    });
    window.history.replaceState(null, '', '/wallboard');
    render(<App services={services} />);
    // The wallboard needs no sign-in (its own view is tested in features/wallboard).
    expect(screen.queryByRole('heading', { name: 'Sign in to the service desk' })).toBeNull();
    act(() => {
      services.store.getState().signIn(session);
      navigate('/tickets/42');
    });
    // The workspace is a chunk of its own (decision 30): the first render imports it, which on a
    // loaded machine (vitest transforming its modules) takes more than findBy's default second.
    expect(
      await screen.findByRole('heading', { name: /Core switch down/ }, { timeout: 15_000 }),
    ).toBeTruthy();
    // Presence is announced from an effect, which a loaded machine may run after the heading shows.
    await waitFor(() => expect(services.bridge.watchTicket).toHaveBeenCalledWith('42', false), {
      timeout: 15_000,
    });
  }, 30_000);

  it('focuses the search box with f (never from inside a field), listed in the help', async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    services.store.getState().signIn(session);
    render(<App services={services} />);
    const search = screen.getByRole('combobox', { name: 'Search tickets and customers' });
    expect(search.getAttribute('aria-keyshortcuts')).toBe('f');
    await user.keyboard('f');
    expect(document.activeElement).toBe(search);
    // Typed into the box, f is a letter like any other.
    await user.keyboard('f');
    expect((search as HTMLInputElement).value).toBe('f');
    await user.keyboard('{Escape}{Escape}?');
    expect(
      await screen.findByText('Search tickets and customers', {}, { timeout: 15_000 }),
    ).toBeTruthy();
  }, 30_000);

  it('signs out: clears the session and revokes the token', async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    services.store.getState().signIn(session);
    render(<App services={services} />);
    // Sign-out lives in the user menu (decision 46): closed, the bar shows the name only.
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
    await user.click(screen.getByTestId('user-menu'));
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(services.store.getState().session).toBeNull();
    expect(services.api.logout).toHaveBeenCalledWith('tok-1');
    expect(screen.getByRole('heading', { name: 'Sign in to the service desk' })).toBeTruthy();
  });

  it('opens the user menu with language and theme, and Escape closes it back onto its button', async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    services.store.getState().signIn(session);
    render(<App services={services} />);
    const button = screen.getByTestId('user-menu');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    await user.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    await user.selectOptions(screen.getByTestId('locale-switch'), 'zh-CN');
    expect(window.localStorage.getItem('dutydesk.locale')).toBe('zh-CN');
    await user.selectOptions(screen.getByTestId('locale-switch'), 'en');
    expect(screen.getByTestId('theme-switch')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('locale-switch')).toBeNull();
    expect(document.activeElement).toBe(button);
    expect(button.getAttribute('aria-expanded')).toBe('false');
  });

  it('switches language', async () => {
    const user = userEvent.setup();
    render(<App services={fakeServices()} />);
    await user.selectOptions(screen.getByLabelText('Language'), 'zh-CN');
    expect(screen.getByRole('heading', { name: '登录服务台' })).toBeTruthy();
    expect(window.localStorage.getItem('dutydesk.locale')).toBe('zh-CN');
    await user.selectOptions(screen.getByLabelText('语言'), 'en');
  });
});

describe('bindBridgeToSession', () => {
  it('runs the socket exactly while a session exists', () => {
    const services = fakeServices();
    bindBridgeToSession(services.store, services.bridge);
    expect(services.bridge.start).not.toHaveBeenCalled();
    services.store.getState().signIn(session);
    expect(services.bridge.start).toHaveBeenCalledWith('tok-1');
    services.store.getState().setConnection({ status: 'live' });
    expect(services.bridge.start).toHaveBeenCalledTimes(1);
    services.store.getState().signOut();
    expect(services.bridge.stop).toHaveBeenCalled();
  });
});
