import { describe, expect, it } from 'vitest';
import { createGroupRequestSchema, createUserRequestSchema, loginRequestSchema } from './auth';
import { parseCommand } from './commands';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from './text';

const commandId = 'cmd-text-0001';

/** What PostgreSQL's jsonb / text refuse: NUL, a lone high and a lone low surrogate. */
const BAD = [
  ['NUL', 'before\u0000after'],
  ['lone high surrogate', 'before\ud83dafter'],
  ['lone low surrogate', 'before\ude00after'],
  ['lone high surrogate at the end', 'end\ud800'],
] as const;

/** Free-text fields of commands: a valid command, and the dotted path of the field to spoil. */
const FIELDS: Array<[string, Record<string, unknown>, string]> = [
  [
    'create title',
    { type: 'ticket.create', title: 'T', description: 'd', channel: 'api' },
    'title',
  ],
  [
    'create description',
    { type: 'ticket.create', title: 'T', description: 'd', channel: 'api' },
    'description',
  ],
  [
    'create category',
    { type: 'ticket.create', title: 'T', description: 'd', channel: 'api', category: 'c' },
    'category',
  ],
  [
    'customer org',
    { type: 'ticket.create', title: 'T', description: 'd', channel: 'api', customer: { org: 'o' } },
    'customer.org',
  ],
  [
    'customer contact',
    {
      type: 'ticket.create',
      title: 'T',
      description: 'd',
      channel: 'api',
      customer: { contact: 'c' },
    },
    'customer.contact',
  ],
  ['comment body', { type: 'ticket.comment', ticketId: 't-1', body: 'b' }, 'body'],
  [
    'execution work',
    { type: 'ticket.log.execution', ticketId: 't-1', work: 'w', progress: 1, minutesSpent: 1 },
    'work',
  ],
  [
    'execution problems',
    {
      type: 'ticket.log.execution',
      ticketId: 't-1',
      work: 'w',
      problems: 'p',
      progress: 1,
      minutesSpent: 1,
    },
    'problems',
  ],
  [
    'supervision feedback',
    { type: 'ticket.log.supervision', ticketId: 't-1', source: 'customer', feedback: 'f' },
    'feedback',
  ],
  [
    'supervision attitude',
    {
      type: 'ticket.log.supervision',
      ticketId: 't-1',
      source: 'customer',
      attitude: 'a',
      feedback: 'f',
    },
    'attitude',
  ],
  ['milestone title', { type: 'ticket.milestone.add', ticketId: 't-1', title: 'm' }, 'title'],
  [
    'assign reason',
    { type: 'ticket.assign', ticketId: 't-1', groupId: 'g', reason: 'r' },
    'reason',
  ],
  ['pend note', { type: 'ticket.pend', ticketId: 't-1', reason: 'change', note: 'n' }, 'note'],
  [
    'resolve summary',
    { type: 'ticket.resolve', ticketId: 't-1', code: 'c', summary: 's' },
    'summary',
  ],
  ['resolve code', { type: 'ticket.resolve', ticketId: 't-1', code: 'c', summary: 's' }, 'code'],
  ['reopen reason', { type: 'ticket.reopen', ticketId: 't-1', reason: 'r' }, 'reason'],
  ['ticket id', { type: 'ticket.accept', ticketId: 't-1' }, 'ticketId'],
  ['group id', { type: 'ticket.assign', ticketId: 't-1', groupId: 'g' }, 'groupId'],
  ['alert id', { type: 'alert.ack', alertId: 'a-1' }, 'alertId'],
  ['command id', { type: 'ticket.accept', ticketId: 't-1' }, 'commandId'],
];

function spoil(input: Record<string, unknown>, path: string, bad: string): Record<string, unknown> {
  const copy = structuredClone(input);
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  const last = keys[keys.length - 1] as string;
  at[last] = `${String(at[last])}${bad}`;
  return copy;
}

describe('text fields refuse what the database cannot store', () => {
  it('isStorableText passes CJK, emoji (surrogate pairs), tabs and newlines', () => {
    expect(isStorableText('服务台 🚨 résumé\tline\nbreak')).toBe(true);
    for (const [, bad] of BAD) expect(isStorableText(bad)).toBe(false);
  });

  describe.each(BAD)('%s', (_name, bad) => {
    it.each(FIELDS)('in the %s: invalid, naming the field', (_label, valid, path) => {
      const good = parseCommand({ commandId, ...valid });
      expect(good.ok, `the unspoiled command parses (${JSON.stringify(good)})`).toBe(true);
      const result = parseCommand(spoil({ commandId, ...valid }, path, bad));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('invalid');
      expect(result.error.fields).toContainEqual({ path, message: UNSTORABLE_TEXT_MESSAGE });
      expect(result.error.message).toContain(path);
    });

    it('in names and logins (user display name, group names, login username)', () => {
      const user = createUserRequestSchema.safeParse({
        username: 'lin.wei',
        password: 'long enough pw',
        displayName: `Lin ${bad}`,
        roles: ['agent'],
      });
      expect(user.success).toBe(false);
      expect(user.error?.issues.map((i) => i.path.join('.'))).toEqual(['displayName']);
      const group = createGroupRequestSchema.safeParse({
        id: 'l2-db',
        name: 'L2 DB',
        nameZh: `二线${bad}`,
        tier: 2,
      });
      expect(group.error?.issues.map((i) => i.path.join('.'))).toEqual(['nameZh']);
      const login = loginRequestSchema.safeParse({ username: `admin${bad}`, password: 'x' });
      expect(login.error?.issues.map((i) => i.path.join('.'))).toEqual(['username']);
    });
  });
});
