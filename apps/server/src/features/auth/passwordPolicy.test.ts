import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS } from './commonPasswords';
import { checkPasswordPolicy } from './passwordPolicy';

describe('password policy', () => {
  it.each([
    ['        ', 'lina', /spaces/],
    ['\t\t\t\t\t\t\t\t', 'lina', /spaces/],
    ['short7!', 'lina', /8 characters/],
    ['password', 'lina', /common/],
    ['PASSWORD', 'lina', /common/],
    ['  password  ', 'lina', /common/],
    ['p@ssw0rd', 'lina', /common/],
    ['woaini1314', 'lina', /common/],
    ['1qaz2wsx', 'lina', /common/],
    ['abababab', 'lina', /different characters/],
    ['liuyang-liuyang', 'liuyang', /username/],
    ['LiuYang12', 'liuyang', /username/],
  ])('refuses %j (user %s)', (password, username, reason) => {
    expect(checkPasswordPolicy(password, username)).toMatch(reason);
  });

  it.each([
    ['dutydesk-demo', 'lina'],
    ['password-123', 'u-agent'],
    ['admin-password-1', 'admin'],
    ['correct horse battery staple', 'lina'],
    ['机房空调温度告警', 'lina'],
    ['Ab3$kq9!', undefined],
  ])('accepts %j (user %s)', (password, username) => {
    expect(checkPasswordPolicy(password, username)).toBeNull();
  });

  it('ships a lower-case list without duplicates', () => {
    expect(new Set(COMMON_PASSWORDS).size).toBe(COMMON_PASSWORDS.length);
    for (const p of COMMON_PASSWORDS) expect(p).toBe(p.toLowerCase().trim());
  });
});
