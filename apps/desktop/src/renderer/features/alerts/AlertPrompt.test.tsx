import { act, cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { createdEvent, makeEvent, makeTicket, session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { AlertPrompt } from './AlertPrompt';

const raised = (seq: number, alertId: string, recipientIds: string[]) =>
  makeEvent(
    seq,
    'alert.raised',
    null,
    { alertId, kind: 'sla', severity: 'critical', message: 'P1 response breached', recipientIds },
    null,
  );

describe('<AlertPrompt>', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it('stays until acknowledged, sends alert.ack, and clears on alert.acknowledged from any seat', async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    services.store.getState().signIn(session);
    renderWith(<AlertPrompt />, services);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    act(() =>
      services.store.getState().applyEvents([raised(1, 'a1', ['u1']), raised(2, 'a2', ['u9'])]),
    );
    expect(screen.getByRole('alertdialog')).toBeTruthy();
    expect(screen.getAllByTestId('alert-card')).toHaveLength(1);
    // Unrelated events do not clear it.
    act(() =>
      services.store
        .getState()
        .applyEvents([makeEvent(3, 'alert.acknowledged', null, { alertId: 'a2' }, 'u9')]),
    );
    expect(screen.getByText('P1 response breached')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Acknowledge' }));
    expect(services.bridge.sendCommand).toHaveBeenCalledWith({ type: 'alert.ack', alertId: 'a1' });
    // Still there until the server's event says it is acknowledged.
    expect(screen.getByRole('alertdialog')).toBeTruthy();
    act(() =>
      services.store
        .getState()
        .applyEvents([makeEvent(4, 'alert.acknowledged', null, { alertId: 'a1' }, 'u7')]),
    );
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('shows why an acknowledgement failed and keeps the prompt', async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    services.bridge.sendCommand = vi.fn(() =>
      Promise.resolve({
        ok: false as const,
        error: { code: 'not_found' as const, message: 'No such alert' },
      }),
    );
    services.store.getState().signIn(session);
    renderWith(<AlertPrompt />, services);
    act(() => services.store.getState().applyEvents([raised(1, 'a1', [])]));
    await user.click(screen.getByRole('button', { name: 'Acknowledge' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/No such alert/);
    expect(screen.getByRole('alertdialog')).toBeTruthy();
  });

  it('words a breach, a warning and a digest in the seat language, not the server English', () => {
    const services = fakeServices();
    services.store.getState().signIn(session);
    renderWith(<AlertPrompt />, services);
    const alert = (seq: number, alertId: string, data: Record<string, unknown>) =>
      makeEvent(
        seq,
        'alert.raised',
        null,
        { alertId, severity: 'critical', recipientIds: ['u1'], ...data },
        null,
      );
    act(() => {
      localeStore.getState().setLocale('zh-CN');
      services.store.getState().applyEvents([
        alert(1, 'b1', {
          kind: 'sla.breached',
          message: 'INC-7 breached its response target',
          ticketNumber: 'INC-7',
          target: 'response',
          threshold: 100,
        }),
        alert(2, 'w1', {
          kind: 'sla.warning',
          message: 'INC-8 at 75 % of its contact-15m target',
          ticketNumber: 'INC-8',
          target: 'contact-15m',
          threshold: 75,
        }),
        alert(3, 'd1', {
          kind: 'digest',
          message: '12 tickets: breached its response target',
          count: 12,
          memberKind: 'sla.breached',
        }),
        alert(4, 'x1', { kind: 'custom.kind', message: 'Server wording kept' }),
      ]);
    });
    const texts = screen
      .getAllByTestId('alert-card')
      .map((card) => card.querySelector('.alert-card__message')?.textContent);
    expect(texts).toEqual([
      'INC-7 已超出响应时限',
      'INC-8 的首次联系（15 分钟）时限已用去 75%',
      '另有 12 张工单超出时限',
      'Server wording kept',
    ]);
    act(() => localeStore.getState().setLocale('en'));
    expect(screen.getByText('INC-7 missed its Response deadline')).toBeTruthy();
  });

  it('folds (button and Alt+Shift+H), keeps notices apart, drops a warning beside its breach, and shows title, priority and the next climb', async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    services.store.getState().signIn(session);
    localStorage.removeItem('dutydesk.alerts.collapsed');
    renderWith(<AlertPrompt />, services);
    const ticket = makeTicket({
      id: 't1',
      number: 'INC-7',
      title: 'Core switch down',
      priority: 'P1',
    });
    const alert = (seq: number, alertId: string, data: Record<string, unknown>) =>
      makeEvent(
        seq,
        'alert.raised',
        't1',
        { alertId, severity: 'critical', recipientIds: ['u1'], ticketId: 't1', ...data },
        null,
      );
    act(() =>
      services.store.getState().applyEvents([
        createdEvent(1, ticket),
        alert(2, 'w75', {
          kind: 'sla.warning',
          severity: 'warning',
          message: 'warning',
          target: 'response',
          threshold: 75,
        }),
        alert(3, 'b100', {
          kind: 'sla.breached',
          message: 'breach',
          target: 'response',
          threshold: 100,
          level: 1,
          climbAt: '2026-03-02T09:20:00.000Z',
        }),
        makeEvent(
          4,
          'alert.raised',
          null,
          {
            alertId: 'h1',
            kind: 'handover',
            severity: 'info',
            message: 'Shift handover',
            recipientIds: ['u1'],
          },
          null,
        ),
      ]),
    );
    const cards = screen.getAllByTestId('alert-card').map((c) => c.getAttribute('data-alert-id'));
    expect(cards).toEqual(['b100', 'h1']);
    expect(screen.getByRole('region', { name: 'Escalations (1)' })).toBeTruthy();
    const notices = screen.getByRole('region', { name: 'Notices (1)' });
    expect(notices.textContent).not.toMatch(/Escalation level/);
    const breach = screen.getAllByTestId('alert-card')[0];
    expect(breach?.textContent).toContain('Core switch down');
    expect(breach?.querySelector('.priority')?.textContent).toBe('P1');
    expect(screen.getByTestId('alert-climb').textContent).toBe('Climbs to level 2 at 17:20 UTC+8');

    const toggle = screen.getByRole('button', { name: 'Hide' });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await user.click(toggle);
    expect(screen.queryByTestId('alert-card')).toBeNull();
    expect(screen.getByRole('button', { name: 'Show' }).getAttribute('aria-expanded')).toBe(
      'false',
    );
    await user.keyboard('{Alt>}{Shift>}H{/Shift}{/Alt}');
    expect(screen.getAllByTestId('alert-card')).toHaveLength(2);
  });

  it('shows a handover notice with its summary and opens the report', async () => {
    const user = userEvent.setup();
    const report = {
      id: 'hv-1',
      shiftName: 'Night',
      openTickets: { total: 3, tickets: [{ id: 't9', number: 'INC-9', priority: 'P1' }] },
      openAlerts: { total: 2 },
      breaches: {
        total: 1,
        list: [{ ticketId: 't9', target: 'contact-15m', at: '2026-03-02T01:00:00.000Z' }],
      },
    };
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.resolve(new Response(JSON.stringify({ handovers: [report] })))),
    );
    const services = fakeServices();
    services.store.getState().signIn(session);
    renderWith(<AlertPrompt />, services);
    act(() =>
      services.store.getState().applyEvents([
        makeEvent(
          1,
          'alert.raised',
          null,
          {
            alertId: 'h1',
            kind: 'handover',
            severity: 'info',
            message: 'Shift handover Night: 3 open tickets',
            recipientIds: ['u1'],
            handoverId: 'hv-1',
          },
          null,
        ),
      ]),
    );
    expect((await screen.findByTestId('handover-summary')).textContent).toBe(
      'Night: 3 open tickets, 2 open alerts, 1 breaches last shift',
    );
    await user.click(screen.getByRole('button', { name: 'Open the report' }));
    const dialog = await screen.findByRole('dialog', { name: 'Shift handover: Night' });
    expect(dialog.textContent).toContain('INC-9');
    expect(dialog.textContent).toContain('First contact (15 min)');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    vi.unstubAllGlobals();
  });
});
