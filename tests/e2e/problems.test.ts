import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer } from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import {
  chooseInUserMenu,
  launchChromium,
  openSeat,
  saveDocScreenshot,
  signIn,
  type Seat,
} from './support/browser';

const WAIT = 20_000;

/**
 * Issue 22 (problem management, decision 58): the problems list and the problem workspace in
 * Chromium at 1440×900. A problem raised from a major incident is opened with `g p`; a why and
 * the root cause are typed and saved with Ctrl+Enter, a corrective action is added from the
 * keyboard, a change request is approved; a change made on another seat (over REST) shows
 * without a reload (the `problem.*` events carry the record). Screenshots in en, zh-CN and
 * dark.
 */
describe('problem management in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let seat: Seat;
  let admin: string;
  let problemId = '';
  let problemNumber = '';

  const api = async <T>(method: string, path: string, body?: unknown, status = 200) => {
    const res = await server.api(method, path, { token: admin, body });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body as T;
  };

  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite' });
    browser = await launchChromium();
    admin = await server.login('admin', ADMIN_PASSWORD);
    await api('POST', '/api/groups', { id: 'l2', name: 'L2', nameZh: '二线', tier: 2 }, 201);
    const users = await api<{ users: Array<{ id: string; username: string }> }>(
      'GET',
      '/api/users',
    );
    const adminId = users.users.find((u) => u.username === 'admin')?.id ?? '';
    const eng = await api<{ id: string }>(
      'POST',
      '/api/users',
      {
        username: 'zhanglei',
        password: 'engineer-pass-1',
        displayName: '张磊',
        roles: ['engineer'],
        groups: ['l2'],
      },
      201,
    );
    const org = await api<{ id: string }>('POST', '/api/organisations', { name: '华东银行' }, 201);
    const contact = await api<{ id: string }>(
      'POST',
      '/api/contacts',
      { name: '王芳', email: 'wang.fang@example.com', organisationId: org.id },
      201,
    );
    const command = async (body: Record<string, unknown>) => {
      const ack = await api<{ ok: boolean; ticket: { id: string; number: string } }>(
        'POST',
        '/api/commands',
        { commandId: crypto.randomUUID(), ...body },
      );
      expect(ack.ok).toBe(true);
      return ack.ticket;
    };
    const ticket = await command({
      type: 'ticket.create',
      title: '核心交换机宕机，全行网络中断',
      description: '3 楼机房核心交换机重启',
      channel: 'hotline',
      priority: 'P1',
      organisationId: org.id,
      contactId: contact.id,
    });
    await command({ type: 'ticket.classify', ticketId: ticket.id, category: '网络' });
    await command({
      type: 'ticket.assign',
      ticketId: ticket.id,
      groupId: 'l2',
      assigneeId: adminId,
    });
    await command({ type: 'ticket.accept', ticketId: ticket.id });
    await api('POST', `/api/major-incidents/${ticket.id}`, { note: '核心网络中断' }, 201);
    await api('POST', `/api/major-incidents/${ticket.id}/close`, { summary: '已切换到备用核心' });
    const problem = await api<{ id: string; number: string; version: number }>(
      'POST',
      '/api/problems',
      {
        title: '核心交换机电源老化导致宕机',
        description: '一个月内同一台核心交换机两次重启，影响全行网络。',
        source: { kind: 'major_incident', ref: ticket.id },
      },
      201,
    );
    problemId = problem.id;
    problemNumber = problem.number;
    await api('PATCH', `/api/problems/${problem.id}`, {
      whys: [
        '核心交换机重启',
        '电源模块输出电压跌落',
        '电源模块已超过设计寿命',
        '巡检清单没有电源寿命一项',
      ],
    });
    const due = new Date(Date.now() + 5 * 24 * 3_600_000).toISOString();
    await api(
      'POST',
      `/api/problems/${problem.id}/actions`,
      {
        title: '更换两台核心交换机的电源模块',
        ownerId: eng.id,
        dueAt: due,
        status: 'in_progress',
      },
      201,
    );
    await api(
      'POST',
      '/api/changes',
      {
        summary: '夜间窗口更换核心交换机电源',
        risk: 'high',
        plannedStart: new Date(Date.now() + 24 * 3_600_000).toISOString(),
        plannedEnd: new Date(Date.now() + 26 * 3_600_000).toISOString(),
        problemId: problem.id,
        ticketIds: [ticket.id],
      },
      201,
    );
    seat = await openSeat(browser, server.url, 'en');
    await signIn(seat.page, 'admin', ADMIN_PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await seat?.context.close();
    await browser?.close();
    await server?.dispose();
  });

  it('opens the workspace from the keyboard, edits the 5 Whys, adds an action, approves the change (en)', async () => {
    const { page } = seat;
    await page.locator('body').press('g');
    await page.locator('body').press('p');
    await page.locator('#problems-title').waitFor({ timeout: WAIT });
    const item = page.locator('.problems__item', { hasText: problemNumber });
    await item.waitFor({ timeout: WAIT });
    await item.focus();
    await page.keyboard.press('Enter');
    await page.locator('#problem-title').waitFor({ timeout: WAIT });
    expect(await page.locator('.problems__source').textContent()).toBe('From a major incident');

    // The fifth why and the root cause, saved with Ctrl+Enter.
    const fifth = page.getByLabel('Why 5');
    await fifth.fill('资产巡检清单早于新硬件制定，未随设备更新');
    const rootCause = page.getByLabel('Root cause', { exact: true });
    await rootCause.fill('核心交换机电源模块超过设计寿命，巡检未覆盖电源寿命');
    await rootCause.press('Control+Enter');
    await page
      .locator('.problems__title .problems__chip', { hasText: 'Known error' })
      .waitFor({ timeout: WAIT });

    // A corrective action from the keyboard: title, owner, due, Enter.
    const actions = page.locator('form[aria-label="Add action"]');
    await actions.getByLabel('Action').fill('巡检清单增加电源模块寿命检查');
    await actions.getByLabel('Action').press('Enter');
    await page
      .locator('.problems__table td', { hasText: '巡检清单增加电源模块寿命检查' })
      .waitFor({ timeout: WAIT });

    // The duty manager (admin here) approves the change request.
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('td', { hasText: 'Approved' }).waitFor({ timeout: WAIT });

    // Another seat's change arrives live: the first action done, over REST.
    const p = await api<{
      actions: Array<{ id: string; title: string; ownerId: string; dueAt: string }>;
    }>('GET', `/api/problems/${problemId}`);
    const first = p.actions[0];
    expect(first).toBeDefined();
    await api('PUT', `/api/problems/${problemId}/actions/${first?.id}`, {
      title: first?.title,
      ownerId: first?.ownerId,
      dueAt: first?.dueAt,
      status: 'done',
    });
    const started = performance.now();
    await expect
      .poll(() => page.getByLabel(`Status of ${first?.title ?? ''}`).inputValue(), {
        timeout: WAIT,
      })
      .toBe('done');
    console.log(
      `[problems e2e] REST change shown on the seat after ${Math.round(performance.now() - started)} ms`,
    );
    expect(await page.locator('.problems__waiting').textContent()).toBe(
      "Waiting for the customer's confirmation.",
    );
    await page.locator('.problems__title').scrollIntoViewIfNeeded();
    await saveDocScreenshot(page, 'problems-en');
  });

  it('shows the same workspace in Chinese and in the dark theme (zh-CN)', async () => {
    const { page } = seat;
    await chooseInUserMenu(page, 'locale-switch', 'zh-CN');
    await page.locator('#problems-title', { hasText: '问题管理' }).waitFor({ timeout: WAIT });
    expect(await page.locator('#problem-whys').textContent()).toBe('5 个为什么与根因');
    expect(await page.locator('.problems__waiting').textContent()).toBe('等待客户确认。');
    await saveDocScreenshot(page, 'problems-zh-CN');
    // Further down: the actions, confirmation, fault report and change requests.
    await page.locator('#problem-changes').scrollIntoViewIfNeeded();
    await saveDocScreenshot(page, 'problems-changes-zh-CN');
    await chooseInUserMenu(page, 'theme-switch', 'dark');
    await saveDocScreenshot(page, 'problems-changes-zh-CN-dark');
    await chooseInUserMenu(page, 'theme-switch', 'light');
    await chooseInUserMenu(page, 'locale-switch', 'en');
    await page.locator('#problems-title', { hasText: 'Problems' }).waitFor({ timeout: WAIT });
    await page.locator('#problem-changes').scrollIntoViewIfNeeded();
    await saveDocScreenshot(page, 'problems-changes-en');
  });
});
