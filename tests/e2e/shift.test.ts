import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Ticket } from '@dutydesk/shared';
import { startTestServer } from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import {
  chooseInUserMenu,
  launchChromium,
  openSeat,
  saveScreenshot,
  signIn,
  waitForStatus,
} from './support/browser';
import { findScreenProblems } from './support/screenCheck';
import type { Seat } from './support/browser';

const PASSWORD = 'dutydesk-demo';
/** Generous: seven engineers share a two-core machine while this runs. */
const STEP_MS = 20_000;

/**
 * A whole shift in Chromium with real seats (issue 13, acceptance 1): the L1 agent (lina)
 * takes a P2 call, classifies it (priority unchanged), dispatches it to L2 network; the engineer
 * (liuyang) is notified, accepts, logs work and adds a milestone; the agent writes the
 * supervision log and confirms for the customer; the team lead (chenjing, another L2 engineer:
 * four eyes) signs the milestone off over the API; the engineer resolves; the agent makes the
 * follow-up call and closes. No duty manager. The same with a complaint, whose three contact
 * deadlines are met by contacts the agent records.
 */
describe('a shift in Chromium: L1 agent and L2 engineer, no duty manager', () => {
  let server: TestServer;
  let browser: Browser;
  let agent: Seat;
  let engineer: Seat;
  let leadToken: string;

  const read = async (id: string): Promise<Ticket> => {
    const res = await server.api('GET', `/api/tickets/${id}`, { token: leadToken });
    expect(res.status).toBe(200);
    return res.body as Ticket;
  };
  const statusChip = (page: Page, status: string) =>
    page
      .locator('.workspace__head .status-chip', { hasText: status })
      .waitFor({ timeout: STEP_MS });

  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite', env: { DUTYDESK_DEMO: '1' } });
    browser = await launchChromium();
    leadToken = await server.login('chenjing', PASSWORD);
    agent = await openSeat(browser, server.url, 'en');
    await signIn(agent.page, 'lina', PASSWORD);
    engineer = await openSeat(browser, server.url, 'en');
    await signIn(engineer.page, 'liuyang', PASSWORD);
    await waitForStatus(agent.page, 'live', STEP_MS);
    await waitForStatus(engineer.page, 'live', STEP_MS);
  }, 120_000);

  afterAll(async () => {
    await agent?.context.close();
    await engineer?.context.close();
    await browser?.close();
    await server?.dispose();
  });

  async function playShift(kind: 'incident' | 'complaint'): Promise<Ticket> {
    const a = agent.page;
    const e = engineer.page;
    const title = `${kind === 'complaint' ? 'Complaint: engineer late' : 'Branch VPN down'} ${Date.now()}`;

    // 1. The agent takes the call: a P2 (a complaint gets its CMP number).
    await a.goto('/');
    await a.getByRole('button', { name: /^New ticket/ }).click();
    const dialog = a.getByRole('dialog', { name: 'New ticket' });
    await dialog.getByLabel('Title').fill(title);
    await dialog.getByLabel('Description').fill('Caller on the hotline');
    await dialog.getByTestId('create-kind').selectOption(kind);
    await dialog.getByLabel('Priority').selectOption('P2');
    await dialog.getByRole('button', { name: 'Create ticket' }).click();
    const heading = a.locator('.workspace__title', { hasText: title });
    await heading.waitFor({ timeout: STEP_MS });
    const number = (await a.locator('.workspace__number').textContent())?.trim() ?? '';
    expect(number).toMatch(kind === 'complaint' ? /^CMP-/ : /^INC-/);
    const ticketId = decodeURIComponent(new URL(a.url()).pathname.split('/').pop() ?? '');

    // 2. Classify: the priority select keeps P2 and says so.
    await a.locator('[data-action="classify"]').click();
    const classify = a.getByRole('form', { name: 'Classify' });
    await classify.getByLabel('Category').fill(kind === 'complaint' ? 'service' : 'network');
    await classify.getByTestId('classify-priority-note').getByText('Priority stays P2.').waitFor();
    await classify.getByRole('button', { name: 'Classify' }).click();
    await statusChip(a, 'Classified');
    expect((await read(ticketId)).priority).toBe('P2');

    if (kind === 'complaint') {
      // The three contact deadlines, met by three recorded contacts, in order.
      for (const target of ['15-minute', '2-hour', '24-hour']) {
        await a.locator('[data-action="contact"]').click();
        const form = a.getByRole('form', { name: 'Record customer contact' });
        await form.getByTestId('contact-target').getByText(new RegExp(target)).waitFor();
        await form.getByLabel('What was said').fill(`Called the customer (${target})`);
        await form.getByRole('button', { name: 'Record customer contact' }).click();
        await a
          .locator('.timeline__item', { hasText: `Called the customer (${target})` })
          .waitFor({ timeout: STEP_MS });
      }
      const targets = (await read(ticketId)).sla.targets;
      for (const name of ['contact-15m', 'contact-2h', 'contact-24h']) {
        expect(targets.find((t) => t.name === name)?.state, name).toBe('met');
      }
    }

    // 3. Dispatch to L2 network, with a reason.
    await a.locator('[data-action="assign"]').click();
    const assign = a.getByRole('form', { name: 'Assign' });
    await assign.getByLabel('Group').selectOption('l2-network');
    await assign.locator('input').last().fill('Router at the branch');
    await assign.getByRole('button', { name: 'Assign' }).click();
    await statusChip(a, 'Dispatched');

    // 4. The engineer is told, opens it from the notice, accepts, logs work, adds a milestone.
    const toast = e.getByTestId('handoff-toast').filter({ hasText: number });
    await toast.waitFor({ timeout: STEP_MS });
    expect(await toast.textContent()).toMatch(/landed in L2 Network/);
    await toast.getByRole('button', { name: 'Open' }).click();
    await e.locator('.workspace__title', { hasText: title }).waitFor({ timeout: STEP_MS });
    await e.locator('[data-action="accept"]').click();
    await statusChip(e, 'In progress');
    const work = e.getByRole('form', { name: 'New execution log entry' });
    await work.getByLabel('Work done').fill('Replaced the branch router');
    await work.getByLabel('Progress %').fill('90');
    await work.getByLabel('Minutes spent').fill('40');
    await work.getByRole('button', { name: 'Add entry' }).click();
    await e.getByTestId('execution-entries').getByText('Replaced the branch router').waitFor();
    await e.getByLabel('Milestone', { exact: true }).fill('Link restored');
    await e.getByRole('button', { name: 'Add milestone' }).click();
    await e.getByTestId('milestone').filter({ hasText: 'Link restored' }).waitFor();

    // 5. The agent still acts on it: supervision log, the customer's confirmation.
    await a
      .getByTestId('milestone')
      .filter({ hasText: 'Link restored' })
      .waitFor({ timeout: STEP_MS });
    expect(await a.locator('.workspace__readonly').count()).toBe(0);
    const supervision = a.getByRole('form', { name: 'New supervision log entry' });
    await supervision.getByLabel('Feedback').fill('Customer satisfied with the updates');
    await supervision.getByRole('button', { name: 'Add entry' }).click();
    await a.getByText('Customer satisfied with the updates').first().waitFor({ timeout: STEP_MS });
    await a
      .getByTestId('milestone')
      .filter({ hasText: 'Link restored' })
      .getByRole('button', { name: 'Confirm for customer' })
      .click();
    await a
      .getByTestId('milestone')
      .filter({ hasText: 'Link restored' })
      .getByRole('button', { name: 'Confirm for customer' })
      .waitFor({ state: 'detached', timeout: STEP_MS });

    // The engineer may not sign off their own work as team lead; the team lead does.
    const milestoneId = (await read(ticketId)).milestones[0]?.id;
    const lead = await server.api('POST', '/api/commands', {
      token: leadToken,
      body: {
        commandId: `lead-${ticketId}`,
        type: 'ticket.milestone.confirm',
        ticketId,
        milestoneId,
        side: 'lead',
      },
    });
    expect(lead.status, JSON.stringify(lead.body)).toBe(200);

    // 6. The engineer resolves.
    const resolveButton = e.locator('[data-action="resolve"]');
    await e.waitForFunction(
      () => !document.querySelector<HTMLButtonElement>('[data-action="resolve"]')?.disabled,
      undefined,
      { timeout: STEP_MS },
    );
    await resolveButton.click();
    const resolve = e.getByRole('form', { name: 'Resolve' });
    await resolve.getByLabel('Resolution code').fill('hardware');
    await resolve.getByLabel('Summary').fill('Router replaced, link up');
    await resolve.getByRole('button', { name: 'Resolve' }).click();
    await statusChip(e, 'Resolved');

    // 7. The agent makes the follow-up call and closes.
    await statusChip(a, 'Resolved');
    await a.locator('[data-action="followUp"]').click();
    const followUp = a.getByRole('form', { name: 'Follow up' });
    await followUp.getByRole('button', { name: 'Follow up' }).click();
    await statusChip(a, 'Follow-up');
    await a.locator('[data-action="close"]').click();
    await statusChip(a, 'Closed');
    await statusChip(e, 'Closed');
    const done = await read(ticketId);
    expect(done).toMatchObject({ status: 'closed', priority: 'P2' });
    expect(done.assignments?.at(-1)?.reason).toBe('Router at the branch');
    await a
      .locator('.timeline__item', { hasText: 'reason: Router at the branch' })
      .waitFor({ timeout: STEP_MS });
    return done;
  }

  it('plays a P2 incident from the call to closure', async () => {
    const ticket = await playShift('incident');
    expect(ticket.number).toMatch(/^INC-/);
    await saveScreenshot(agent.page, 'shift-closed-en-1440');
  }, 240_000);

  it('says it all in Chinese: the handoff notice, classify keeping the priority, the contact form', async () => {
    await chooseInUserMenu(agent.page, 'locale-switch', 'zh-CN');
    await chooseInUserMenu(engineer.page, 'locale-switch', 'zh-CN');
    const agentToken = await server.login('lina', PASSWORD);
    const res = await server.api('POST', '/api/commands', {
      token: agentToken,
      body: {
        commandId: `zh-create-${Date.now()}`,
        type: 'ticket.create',
        title: '客户投诉：上门服务迟到',
        description: '热线来电',
        channel: 'hotline',
        kind: 'complaint',
        priority: 'P2',
      },
    });
    expect(res.status).toBe(200);
    const ticket = (res.body as { ticket: Ticket }).ticket;
    const a = agent.page;
    await a.goto(`/tickets/${ticket.id}`);
    await a.locator('.workspace__title', { hasText: '上门服务迟到' }).waitFor({ timeout: STEP_MS });
    await a.locator('[data-action="classify"]').click();
    await a
      .getByTestId('classify-priority-note')
      .getByText(/优先级保持 P2。/)
      .waitFor();
    expect(await findScreenProblems(a, 'zh-CN')).toEqual([]);
    await a.locator('[data-action="classify"]').click();
    await a.locator('[data-action="contact"]').click();
    await a
      .getByTestId('contact-target')
      .getByText(/15 分钟内联系/)
      .waitFor();
    expect(await findScreenProblems(a, 'zh-CN')).toEqual([]);
    await saveScreenshot(a, 'shift-contact-zh-CN-1440');
    const assigned = await server.api('POST', '/api/commands', {
      token: agentToken,
      body: {
        commandId: `zh-assign-${Date.now()}`,
        type: 'ticket.assign',
        ticketId: ticket.id,
        groupId: 'l2-network',
        reason: '需要网络组处理',
      },
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    const toast = engineer.page.getByTestId('handoff-toast').filter({ hasText: ticket.number });
    await toast.waitFor({ timeout: STEP_MS });
    expect(await toast.textContent()).toMatch(/已转到 二线网络组/);
    expect(await findScreenProblems(engineer.page, 'zh-CN')).toEqual([]);
    await saveScreenshot(engineer.page, 'shift-handoff-zh-CN-1440');
    await chooseInUserMenu(agent.page, 'locale-switch', 'en');
    await chooseInUserMenu(engineer.page, 'locale-switch', 'en');
  }, 120_000);

  it('plays a complaint whose three contact deadlines are met by recorded contacts', async () => {
    const ticket = await playShift('complaint');
    expect(ticket.number).toMatch(/^CMP-/);
    expect(ticket.contacts?.map((c) => c.target)).toEqual([
      'contact-15m',
      'contact-2h',
      'contact-24h',
    ]);
  }, 240_000);
});
