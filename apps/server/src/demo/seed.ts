import type { AppContext } from '../context';
import { countUsers } from '../features/auth/auth.repo';
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
  ctx.log.info(
    { users: DEMO_USERS.length, groups: DEMO_GROUPS.length, password: DEMO_PASSWORD },
    'demo desk seeded',
  );
  return { seeded: true };
}
