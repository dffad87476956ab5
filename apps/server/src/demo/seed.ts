import type { AppContext } from '../context';
import { randomUUID } from 'node:crypto';
import { countUsers, findUserByUsername, toPublicUser } from '../features/auth/auth.repo';
import { actorFromUser } from '../features/tickets/actor';
import { executeCommand } from '../commands';
import { createUser } from '../features/auth/auth.service';
import { insertGroup, listGroups } from '../features/users/groups.repo';

/** Password of every demo user (a demo desk only; never on a real one). */
export const DEMO_PASSWORD = 'dutydesk-demo';

export const DEMO_GROUPS = [
  { id: 'l1', name: 'L1 Service Desk', nameZh: '一线服务台', tier: 1 },
  { id: 'l2-network', name: 'L2 Network', nameZh: '二线网络组', tier: 2 },
  { id: 'l2-apps', name: 'L2 Applications', nameZh: '二线应用组', tier: 2 },
  { id: 'l3', name: 'L3 Engineering', nameZh: '三线研发', tier: 3 },
] as const;

const DEMO_USERS = [
  { username: 'lina', displayName: '李娜', roles: ['agent'], groups: ['l1'] },
  { username: 'wangwei', displayName: '王伟', roles: ['agent'], groups: ['l1'] },
  { username: 'zhangmin', displayName: '张敏', roles: ['agent'], groups: ['l1'] },
  { username: 'emma', displayName: 'Emma Clarke', roles: ['agent'], groups: ['l1'] },
  { username: 'liuyang', displayName: '刘洋', roles: ['engineer'], groups: ['l2-network'] },
  { username: 'chenjing', displayName: '陈静', roles: ['engineer'], groups: ['l2-network'] },
  { username: 'yangfan', displayName: '杨帆', roles: ['engineer'], groups: ['l2-apps'] },
  { username: 'omar', displayName: 'Omar Haddad', roles: ['engineer'], groups: ['l2-apps'] },
  { username: 'zhaolei', displayName: '赵磊', roles: ['engineer'], groups: ['l3'] },
  { username: 'sunli', displayName: '孙丽', roles: ['duty_manager'], groups: ['l1'] },
  { username: 'director', displayName: '周总监', roles: ['duty_manager'], groups: [] },
  { username: 'hall', displayName: 'Service hall wallboard', roles: ['wallboard'], groups: [] },
] as const;

/**
 * Seeds a demo desk (groups and a dozen users across roles) when the database
 * holds nothing but the admin. Safe to call on every start.
 */
export async function seedDemo(ctx: AppContext): Promise<{ seeded: boolean }> {
  const db = ctx.database.db;
  if ((await countUsers(db)) > 1 || (await listGroups(db)).length > 0) return { seeded: false };
  const now = ctx.clock.now();
  for (const g of DEMO_GROUPS) await insertGroup(db, g, now);
  for (const u of DEMO_USERS) {
    await createUser(ctx, {
      ...u,
      roles: [...u.roles],
      groups: [...u.groups],
      password: DEMO_PASSWORD,
    });
  }
  const tickets = await seedDemoTickets(ctx);
  // No password in the log: logs are shipped and kept; the README's quick start names it.
  ctx.log.info(
    { users: DEMO_USERS.length, groups: DEMO_GROUPS.length, tickets },
    "demo desk seeded (demo users' password: see README.md, Quick start)",
  );
  return { seeded: true };
}

const DEMO_TICKETS: Array<{
  title: string;
  description: string;
  channel: string;
  priority: 'P1' | 'P2' | 'P3';
  kind?: string;
  org: string;
  agoMin: number;
  group?: string;
  assignee?: string;
  steps: number;
}> = [
  {
    title: '总部 VPN 全部中断',
    description: 'HQ VPN concentrator down; 300 users cannot connect.',
    channel: 'monitoring',
    priority: 'P1',
    org: '华东分公司',
    agoMin: 6,
    group: 'l2-network',
    assignee: 'liuyang',
    steps: 3,
  },
  {
    title: 'Core switch CPU at 98 %',
    description: 'Monitoring alarm on core-sw-01.',
    channel: 'monitoring',
    priority: 'P1',
    org: 'Head office',
    agoMin: 11,
    group: 'l2-network',
    steps: 2,
  },
  {
    title: '财务系统登录报错 500',
    description: '财务月结期间无法登录 ERP。',
    channel: 'hotline',
    priority: 'P2',
    org: '财务部',
    agoMin: 25,
    group: 'l2-apps',
    assignee: 'yangfan',
    steps: 4,
  },
  {
    title: 'Email delayed by 20 minutes',
    description: 'Outbound mail queue growing.',
    channel: 'portal',
    priority: 'P2',
    org: 'Sales',
    agoMin: 38,
    group: 'l2-apps',
    steps: 2,
  },
  {
    title: '打印机卡纸',
    description: '3 楼打印机卡纸，无法打印合同。',
    channel: 'walk_in',
    priority: 'P3',
    org: '法务部',
    agoMin: 50,
    steps: 1,
  },
  {
    title: 'New laptop for new hire',
    description: 'Start date Monday; standard image.',
    channel: 'portal',
    priority: 'P3',
    kind: 'service_request',
    org: 'HR',
    agoMin: 70,
    steps: 1,
  },
  {
    title: '投诉：工程师迟到两小时',
    description: '客户投诉上门服务迟到。',
    channel: 'hotline',
    priority: 'P2',
    kind: 'complaint',
    org: '华南分公司',
    agoMin: 9,
    steps: 1,
  },
  {
    title: 'Wi-Fi drops in meeting rooms',
    description: 'Floor 5 meeting rooms lose Wi-Fi every 10 min.',
    channel: 'chat',
    priority: 'P2',
    org: 'Head office',
    agoMin: 33,
    group: 'l2-network',
    assignee: 'chenjing',
    steps: 3,
  },
  {
    title: '数据库备份失败',
    description: 'Nightly backup job failed twice.',
    channel: 'monitoring',
    priority: 'P2',
    org: '信息中心',
    agoMin: 95,
    group: 'l3',
    assignee: 'zhaolei',
    steps: 4,
  },
  {
    title: 'Password reset for contractor',
    description: 'Account locked after 5 attempts.',
    channel: 'chat',
    priority: 'P3',
    org: 'Facilities',
    agoMin: 15,
    steps: 0,
  },
  {
    title: '如何申请远程办公权限',
    description: '咨询远程办公 VPN 账号申请流程。',
    channel: 'hotline',
    priority: 'P3',
    kind: 'consultation',
    org: '市场部',
    agoMin: 5,
    steps: 0,
  },
  {
    title: 'CRM slow since the upgrade',
    description: 'Page loads take 8–10 s.',
    channel: 'portal',
    priority: 'P2',
    org: 'Sales',
    agoMin: 140,
    group: 'l2-apps',
    assignee: 'omar',
    steps: 5,
  },
];

/** A couple of dozen tickets at different steps of the flow, through the real command bus. */
async function seedDemoTickets(ctx: AppContext): Promise<number> {
  const db = ctx.database.db;
  const byName = async (name: string) => {
    const u = await findUserByUsername(db, name);
    if (!u) throw new Error(`demo user ${name} missing`);
    return actorFromUser(toPublicUser(u));
  };
  const desk = await byName('lina');
  const dm = await byName('sunli');
  const now = ctx.clock.now().getTime();
  let count = 0;
  const run = async (
    actor: typeof desk,
    body: Record<string, unknown>,
  ): Promise<{ id?: string }> => {
    const ack = await executeCommand(ctx, actor, { commandId: randomUUID(), ...body });
    if (!ack.ok) throw new Error(`demo seed: ${String(body.type)} failed: ${ack.error.message}`);
    return { id: ack.ticket?.id };
  };
  for (const round of [0, 1]) {
    for (const t of DEMO_TICKETS) {
      const receivedAt = new Date(now - (t.agoMin + round * 17) * 60_000).toISOString();
      const { id } = await run(desk, {
        type: 'ticket.create',
        title: round === 0 ? t.title : `${t.title} (#2)`,
        description: t.description,
        channel: t.channel,
        priority: t.priority,
        ...(t.kind ? { kind: t.kind } : {}),
        customer: { org: t.org },
        receivedAt,
      });
      count += 1;
      if (!id || t.steps === 0) continue;
      await run(desk, {
        type: 'ticket.classify',
        ticketId: id,
        category: t.channel === 'monitoring' ? 'infrastructure' : 'end-user',
      });
      if (t.steps < 2) continue;
      await run(dm, {
        type: 'ticket.assign',
        ticketId: id,
        groupId: t.group ?? 'l1',
        ...(t.assignee ? { assigneeId: (await byName(t.assignee)).id } : {}),
      });
      if (t.steps < 3 || !t.assignee) continue;
      const eng = await byName(t.assignee);
      await run(eng, { type: 'ticket.accept', ticketId: id });
      await run(eng, {
        type: 'ticket.comment',
        ticketId: id,
        body: '已联系客户，正在排查。 / Contacted the customer, investigating.',
      });
      if (t.steps < 4) continue;
      await run(eng, {
        type: 'ticket.log.execution',
        ticketId: id,
        work: 'Checked logs and configuration',
        progress: 60,
        minutesSpent: 35,
      });
      if (t.steps < 5) continue;
      await run(eng, {
        type: 'ticket.pend',
        ticketId: id,
        reason: 'customer',
        note: 'Waiting for the customer to test',
      });
    }
  }
  return count;
}
