import type { RoleName } from '@dutydesk/shared';
import { describe, expect, it } from 'vitest';
import { AccountAction, refuseAccountAction } from './accountRules';

const user = (id: string, ...roles: RoleName[]) => ({ id, roles });

describe('account rules', () => {
  it('a duty manager who is also an engineer still cannot touch another duty manager', () => {
    const actor = user('a', 'duty_manager', 'engineer');
    expect(refuseAccountAction(actor, user('b', 'engineer', 'duty_manager'), 'revoke')).toMatch(
      /agents and engineers only/,
    );
    expect(refuseAccountAction(actor, user('c', 'agent', 'engineer'), 'disable')).toBeNull();
  });

  it('an admin who is also a duty manager acts as admin', () => {
    const actor = user('a', 'duty_manager', 'admin');
    for (const action of Object.values(AccountAction)) {
      expect(refuseAccountAction(actor, user('b', 'admin'), action)).toBeNull();
    }
  });

  it('nobody disables themselves, but anyone in reach may revoke their own sessions', () => {
    for (const roles of [['admin'], ['duty_manager'], ['agent']] as RoleName[][]) {
      expect(refuseAccountAction(user('me', ...roles), user('me', ...roles), 'disable')).toMatch(
        /own account/,
      );
    }
    expect(refuseAccountAction(user('me', 'admin'), user('me', 'admin'), 'revoke')).toBeNull();
  });
});
