import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CommandType, commandSchema, COMMAND_LIMITS, parseCommand } from './commands';

const id = 'cmd-0001-abcd';

/** One valid input per command type. */
const VALID: Record<CommandType, Record<string, unknown>> = {
  'ticket.create': { title: 'Mail down', description: 'since 7', channel: 'hotline' },
  'ticket.classify': { ticketId: 't-1', category: 'mail' },
  'ticket.assign': { ticketId: 't-1', groupId: 'g-l2' },
  'ticket.accept': { ticketId: 't-1' },
  'ticket.comment': { ticketId: 't-1', body: 'hello', internal: false },
  'ticket.log.execution': { ticketId: 't-1', work: 'w', progress: 100, minutesSpent: 0 },
  'ticket.log.supervision': { ticketId: 't-1', source: 'customer', ratings: { overall: 5 } },
  'ticket.milestone.add': { ticketId: 't-1', title: 'Env ready' },
  'ticket.milestone.confirm': { ticketId: 't-1', milestoneId: 'm-1', side: 'lead' },
  'ticket.pend': { ticketId: 't-1', reason: 'change' },
  'ticket.resume': { ticketId: 't-1' },
  'ticket.resolve': { ticketId: 't-1', code: 'fixed', summary: 'ok' },
  'ticket.followUp': { ticketId: 't-1', outcome: 'satisfied' },
  'ticket.close': { ticketId: 't-1', expectedVersion: 0 },
  'ticket.reopen': { ticketId: 't-1', reason: 'again' },
  'ticket.contact.record': { ticketId: 't-1', channel: 'phone', summary: 'called back' },
  'ticket.refuse': { ticketId: 't-1', reason: 'not my area: database, not network' },
  'ticket.customer.link': { ticketId: 't-1', organisationId: 'o-1', contactId: null },
  'ticket.attachment.add': {
    ticketId: 't-1',
    attachmentId: 'a-1',
    name: '截图.png',
    contentType: 'image/png',
    size: 10,
    sha256: 'a'.repeat(64),
  },
  'ticket.intake.record': {
    ticketId: 't-1',
    source: 'alertmanager',
    signal: 'repeat',
    at: '2026-12-04T10:00:00.000Z',
    summary: 'firing again',
  },
  'alert.ack': { alertId: 'a-1' },
  'organisation.create': { name: 'ACME Bank', slaPolicyId: 'gold' },
  'organisation.update': { organisationId: 'o-1', status: 'inactive', expectedVersion: 2 },
  'organisation.delete': { organisationId: 'o-1' },
  'contact.create': { name: '张伟', phone: '+86 138 0013 8000', organisationId: 'o-1' },
  'contact.update': { contactId: 'c-1', email: 'zw@example.com' },
  'contact.delete': { contactId: 'c-1' },
  'kb.article.create': { title: 'VPN 无法连接', body: '## 症状', language: 'zh-CN' },
  'kb.article.edit': { articleId: 'k-1', body: '## Fix', expectedVersion: 2 },
  'kb.article.review': { articleId: 'k-1' },
  'kb.article.publish': { articleId: 'k-1' },
  'kb.article.retire': { articleId: 'k-1' },
  'kb.article.feedback': { articleId: 'k-1', helped: true },
  'survey.answer': { invitationId: 'a'.repeat(64), score: 1, comment: 'slow' },
  'problem.create': { title: '打印机反复卡纸', source: { kind: 'qa_finding', ref: 'qa-1' } },
  'problem.update': { problemId: 'p-1', whys: ['why 1', 'why 2'], rootCause: 'worn roller' },
  'problem.action.save': {
    problemId: 'p-1',
    title: 'Replace rollers',
    ownerId: 'u-1',
    dueAt: '2026-12-10T10:00:00.000Z',
  },
  'problem.confirm': { problemId: 'p-1', note: 'customer called' },
  'problem.close': { problemId: 'p-1' },
  'problem.report': { problemId: 'p-1', cause: 'c', process: 'p', prevention: 'v' },
  'change.create': {
    summary: 'Replace core switch',
    risk: 'high',
    plannedStart: '2026-12-10T01:00:00.000Z',
    plannedEnd: '2026-12-10T03:00:00.000Z',
  },
  'change.decide': { changeId: 'c-1', approved: true },
  'change.done': { changeId: 'c-1' },
  'qa.verdict.record': {
    itemId: 'qi-1',
    checklist: {
      timely: 'pass',
      fields_complete: 'pass',
      logs_kept: 'fail',
      customer_informed: 'na',
      resolution_sound: 'pass',
    },
    outcome: 'pass',
  },
};

function expectInvalid(input: unknown, path?: string) {
  const result = parseCommand(input);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe('invalid');
  expect(result.error.message.length).toBeGreaterThan(0);
  if (path !== undefined) expect(result.error.fields?.map((f) => f.path)).toContain(path);
}

describe('parseCommand', () => {
  it.each(CommandType.map((t) => [t]))('accepts a valid %s', (type) => {
    const result = parseCommand({ commandId: id, type, ...VALID[type] });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.command.type).toBe(type);
  });

  it('has a schema for every type and no more', () => {
    expect(commandSchema.options.map((o) => o.shape.type.value).sort()).toEqual(
      [...CommandType].sort(),
    );
  });

  it.each(CommandType.map((t) => [t]))('refuses unknown keys on %s', (type) => {
    expectInvalid({ commandId: id, type, ...VALID[type], evil: true });
  });

  it('refuses an unknown type, a missing or short commandId', () => {
    expectInvalid({ commandId: id, type: 'ticket.delete', ticketId: 't-1' }, 'type');
    expectInvalid({ type: 'ticket.accept', ticketId: 't-1' }, 'commandId');
    expectInvalid({ commandId: 'short', type: 'ticket.accept', ticketId: 't-1' }, 'commandId');
    expectInvalid({ commandId: 'x'.repeat(101), type: 'ticket.accept', ticketId: 't-1' });
  });

  it('trims text and refuses blank or oversized fields with their path', () => {
    const ok = parseCommand({
      commandId: id,
      type: 'ticket.create',
      ...VALID['ticket.create'],
      title: '  Mail  ',
    });
    expect(ok.ok && ok.command.type === 'ticket.create' && ok.command.title).toBe('Mail');
    const create = { commandId: id, type: 'ticket.create', ...VALID['ticket.create'] };
    expectInvalid({ ...create, title: '   ' }, 'title');
    expectInvalid({ ...create, title: 'x'.repeat(COMMAND_LIMITS.title + 1) }, 'title');
    expectInvalid({ ...create, description: 'x'.repeat(COMMAND_LIMITS.body + 1) }, 'description');
    expectInvalid({ ...create, channel: 'fax' }, 'channel');
    expectInvalid({ ...create, receivedAt: 'yesterday' }, 'receivedAt');
    expectInvalid({ ...create, customer: { email: 'not-an-email' } }, 'customer.email');
    expectInvalid({ ...create, customer: { org: 'x', extra: 1 } }, 'customer');
    const comment = { commandId: id, type: 'ticket.comment', ticketId: 't-1' };
    expectInvalid({ ...comment, body: 'x'.repeat(COMMAND_LIMITS.body + 1) }, 'body');
    expectInvalid({ ...comment, body: 'x', ticketId: '' }, 'ticketId');
    expectInvalid({ ...comment, body: 'x', ticketId: 't'.repeat(65) }, 'ticketId');
    expectInvalid({ ...comment, body: 'x', expectedVersion: -1 }, 'expectedVersion');
    expectInvalid({ ...comment, body: 'x', expectedVersion: 1.5 }, 'expectedVersion');
  });

  it('checks numbers, enums and the at-least-one rules', () => {
    const base = { commandId: id, ticketId: 't-1' };
    const exec = { ...base, type: 'ticket.log.execution', work: 'w', minutesSpent: 1 };
    expectInvalid({ ...exec, progress: 101 }, 'progress');
    expectInvalid({ ...exec, progress: -1 }, 'progress');
    expectInvalid({ ...exec, progress: 5, minutesSpent: COMMAND_LIMITS.minutesSpent + 1 });
    expectInvalid({ ...base, type: 'ticket.assign' }, 'groupId');
    expect(parseCommand({ ...base, type: 'ticket.assign', assigneeId: null }).ok).toBe(true);
    expectInvalid({ ...base, type: 'ticket.log.supervision', source: 'customer' }, 'feedback');
    expectInvalid(
      { ...base, type: 'ticket.log.supervision', source: 'customer', ratings: { overall: 6 } },
      'ratings.overall',
    );
    expectInvalid(
      { ...base, type: 'ticket.log.supervision', source: 'customer', ratings: { speed: 3 } },
      'ratings',
    );
    expectInvalid({ ...base, type: 'ticket.pend', reason: 'lunch' }, 'reason');
    expectInvalid({ ...base, type: 'ticket.followUp', outcome: 'maybe' }, 'outcome');
    expectInvalid(
      { ...base, type: 'ticket.milestone.confirm', milestoneId: 'm', side: 'vendor' },
      'side',
    );
    expectInvalid({ ...base, type: 'ticket.reopen', reason: '' }, 'reason');
    expectInvalid({ commandId: id, type: 'alert.ack', alertId: 'a', ticketId: 't-1' });
  });

  it('never throws on hostile objects', () => {
    const hostile = {
      commandId: id,
      type: 'ticket.comment',
      ticketId: 't-1',
      get body(): string {
        throw new Error('boom');
      },
    };
    expectInvalid(hostile);
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        ownKeys() {
          throw new Error('boom');
        },
      },
    );
    expectInvalid(proxy);
  });

  it('property: junk of any shape is invalid with a message, never a throw', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true }),
        (junk) => {
          expectInvalid(junk);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: a valid command with a junk or oversized field is invalid, never a throw', () => {
    const types = CommandType.filter((t) => t !== 'alert.ack');
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.constantFrom('title', 'body', 'work', 'summary', 'reason', 'ticketId', 'commandId', 'x'),
        fc.oneof(
          fc.string({ minLength: 20_001, maxLength: 20_050 }),
          fc.anything(),
          fc.constant(''),
          fc.integer(),
        ),
        (type, key, value) => {
          const input = { commandId: id, type, ...VALID[type], [key]: value };
          const result = parseCommand(input);
          // Some replacements stay valid: a short string, or undefined for an optional field.
          // Text fields are trimmed before their limit applies, so a long string whose excess is
          // leading or trailing whitespace is valid too.
          if (result.ok) {
            if (value !== undefined) {
              expect(typeof value).toBe('string');
              expect((value as string).trim().length).toBeLessThanOrEqual(COMMAND_LIMITS.body);
            }
          } else {
            expect(result.error.code).toBe('invalid');
            expect(result.error.message).toMatch(/^invalid command/);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('trims text before its limit: whitespace around a full-length body is not excess', () => {
    const body = 'x'.repeat(COMMAND_LIMITS.body);
    const padded = parseCommand({
      commandId: id,
      type: 'ticket.comment',
      ticketId: 't-1',
      body: ` ${body} `,
    });
    expect(padded.ok && padded.command.type === 'ticket.comment' && padded.command.body).toBe(body);
    expectInvalid(
      { commandId: id, type: 'ticket.comment', ticketId: 't-1', body: `${body}x` },
      'body',
    );
  });

  it('property: huge inputs come back invalid quickly', () => {
    const big = {
      commandId: id,
      type: 'ticket.comment',
      ticketId: 't-1',
      body: 'x'.repeat(5_000_000),
    };
    expectInvalid(big, 'body');
    const deep: Record<string, unknown> = { commandId: id, type: 'ticket.accept', ticketId: 't' };
    let node: Record<string, unknown> = deep;
    for (let i = 0; i < 10_000; i += 1) {
      const next: Record<string, unknown> = {};
      node.nested = next;
      node = next;
    }
    expectInvalid(deep);
    expectInvalid({
      ...VALID['ticket.create'],
      commandId: id,
      type: 'ticket.create',
      items: new Array(100_000).fill(1),
    });
  });
});
