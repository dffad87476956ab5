import { defaultSlaPolicy } from '@dutydesk/shared';
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { invalid, ok, renderAdmin, scriptedApi } from './adminTesting';
import type { Call } from './adminTesting';
import { SlaPanel } from './SlaPanel';

const preview = {
  at: '2026-03-02T02:20:00.000Z',
  total: 12,
  moved: 3,
  earlier: 3,
  later: 0,
  becomeOverdue: 1,
  moves: [
    {
      ticketId: 't1',
      number: 'INC-2026-000001',
      title: 'Core switch down',
      priority: 'P1',
      target: 'resolve',
      dueAt: '2026-03-02T06:00:00.000Z',
      newDueAt: '2026-03-02T02:18:00.000Z',
      state: 'running',
      newState: 'breached',
      becomesOverdue: true,
    },
  ],
  truncated: false,
};

function p1Minutes(): HTMLElement {
  const p1 = screen.getByRole('group', { name: 'Priority P1' });
  return within(p1).getByLabelText('P1 resolution: business minutes');
}

describe('<SlaPanel>', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it('previews a change before it may be saved, then follows the re-plan to its end', async () => {
    const user = userEvent.setup();
    let polls = 0;
    const sent: Call[] = [];
    const api = scriptedApi({
      'GET /sla/policies': ok({ version: 0, policies: [defaultSlaPolicy] }),
      'POST /sla/policies/preview': (call) => {
        sent.push(call);
        return ok({ version: 0, preview });
      },
      'PUT /sla/policies': (call) =>
        ok(
          {
            version: 1,
            policies: (call.body as { policies: unknown[] }).policies,
            replan: { id: 'job-1', status: 'running', href: '/api/sla/replans/job-1' },
          },
          202,
        ),
      'GET /sla/replans/job-1': () => {
        polls += 1;
        return ok(
          polls < 2
            ? { id: 'job-1', status: 'running', total: 12, done: 5, changed: 2, error: null }
            : { id: 'job-1', status: 'done', total: 12, done: 12, changed: 3, error: null },
        );
      },
    });
    renderAdmin(<SlaPanel />, api);
    const minutes = await screen.findByRole('spinbutton', {
      name: 'P1 resolution: business minutes',
    });
    expect(minutes).toBe(p1Minutes());
    const save = screen.getByRole('button', { name: 'Save and re-plan' });
    expect((save as HTMLButtonElement).disabled).toBe(true);
    await user.clear(p1Minutes());
    await user.type(p1Minutes(), '18');
    expect((save as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/Preview the change to see what it does/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Preview the change' }));
    const report = await screen.findByRole('region', { name: 'Preview: open tickets' });
    expect(
      within(report).getByText('3 of 12 open tickets move: 3 due earlier, 0 due later.'),
    ).toBeTruthy();
    expect(within(report).getByText('1 would be overdue at once.')).toBeTruthy();
    expect(
      within(report).getByRole('row', { name: /INC-2026-000001.*Overdue at once/ }),
    ).toBeTruthy();
    const previewed = sent[0]?.body as { policies: (typeof defaultSlaPolicy)[] };
    const resolve = previewed.policies[0]?.priorities.P1.targets.find((t) => t.name === 'resolve');
    expect(resolve?.due).toMatchObject({ kind: 'duration', minutes: 18 });
    expect(api.calls.some((c) => c.method === 'PUT')).toBe(false);

    // A further edit makes the preview stale: save waits for a new one.
    await user.type(p1Minutes(), '0');
    expect((save as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByRole('region', { name: 'Preview: open tickets' })).toBeNull();
    await user.clear(p1Minutes());
    await user.type(p1Minutes(), '18');
    await user.click(screen.getByRole('button', { name: 'Preview the change' }));
    await screen.findByRole('region', { name: 'Preview: open tickets' });
    await waitFor(() => expect((save as HTMLButtonElement).disabled).toBe(false));
    await user.click(save);

    expect(
      await screen.findByText('Re-planning: 5 of 12 tickets…', {}, { timeout: 5_000 }),
    ).toBeTruthy();
    expect(
      await screen.findByText('Re-plan finished: 12 tickets, 3 changed.', {}, { timeout: 5_000 }),
    ).toBeTruthy();
    const put = api.calls.find((c) => c.method === 'PUT');
    expect(put?.body).toEqual(previewed);
    // Nothing to await for "no further request": wait longer than one poll, then count.
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 700));
    });
    expect(polls).toBe(2);
  });

  it('shows the server’s refusals under the fields they name', async () => {
    const user = userEvent.setup();
    const api = scriptedApi({
      'GET /sla/policies': ok({ version: 0, policies: [defaultSlaPolicy] }),
      'POST /sla/policies/preview': invalid(
        [
          {
            path: 'policies.0.priorities.P1.targets.2.due.minutes',
            message: 'Too small: expected number to be >0',
          },
          {
            path: 'policies.0.thresholds.0.percent',
            message: 'Invalid input: expected number, received null',
          },
          {
            path: 'policies.0.priorities.P2.targets',
            message: 'P2: the resolution is due before the response',
          },
          { path: 'policies.0.extraTargets.0.name', message: 'required' },
        ],
        'Invalid SLA policies',
      ),
    });
    renderAdmin(<SlaPanel />, api);
    const percent = await screen.findByLabelText('Threshold 1: %');
    await user.clear(percent);
    await user.click(screen.getByRole('button', { name: 'Preview the change' }));
    await waitFor(() => expect(percent.getAttribute('aria-invalid')).toBe('true'));
    expect(
      document.getElementById(percent.getAttribute('aria-describedby') ?? '')?.textContent,
    ).toBe('Invalid input: expected number, received null');
    const minutes = p1Minutes();
    expect(
      document.getElementById(minutes.getAttribute('aria-describedby') ?? '')?.textContent,
    ).toBe('Too small: expected number to be >0');
    const p2 = screen.getByRole('group', { name: 'Priority P2' });
    expect(within(p2).getByText('P2: the resolution is due before the response')).toBeTruthy();
    // A path with no control of its own is listed with the error, by path.
    const alert = screen.getByText('Not saved: check the marked fields.').closest('[role="alert"]');
    expect(alert?.textContent).toContain('policies.0.extraTargets.0.name');
    expect(alert?.textContent).not.toContain('policies.0.thresholds.0.percent');
    expect(
      (screen.getByRole('button', { name: 'Save and re-plan' }) as HTMLButtonElement).disabled,
    ).toBe(true);
  });
});
