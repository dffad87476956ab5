import { describe, expect, it } from 'vitest';
import {
  REDACTED,
  createLogger,
  isSecretKey,
  logScope,
  redactSecrets,
  resolveLogFormat,
} from './log';

/** Lines written by a logger, parsed. */
function capture(): {
  write(s: string): void;
  lines: Array<Record<string, unknown>>;
  text: string;
} {
  const raw: string[] = [];
  return {
    write: (s: string) => void raw.push(s),
    get lines() {
      return raw.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    get text() {
      return raw.join('');
    },
  };
}

describe('redactSecrets', () => {
  it('redacts secret-named keys at any depth, in objects and arrays, and leaves the rest', () => {
    const input = {
      user: 'ann',
      password: 'p1',
      nested: {
        deeper: [{ token: 't1', keep: 1 }, { list: [{ refreshToken: 't2' }] }, 'plain'],
        Authorization: 'Bearer t3',
        headers: { cookie: 'c=1', 'set-cookie': ['c=2'], 'x-api-key': 'k1', accept: 'json' },
        apiKey: 'k2',
        client_secret: 's1',
        newPassword: 'p2',
        passwordHash: '$argon2id$…',
      },
      count: 3,
    };
    const out = redactSecrets(input) as typeof input;
    expect(out).toEqual({
      user: 'ann',
      password: REDACTED,
      nested: {
        deeper: [{ token: REDACTED, keep: 1 }, { list: [{ refreshToken: REDACTED }] }, 'plain'],
        Authorization: REDACTED,
        headers: {
          cookie: REDACTED,
          'set-cookie': REDACTED,
          'x-api-key': REDACTED,
          accept: 'json',
        },
        apiKey: REDACTED,
        client_secret: REDACTED,
        newPassword: REDACTED,
        passwordHash: REDACTED,
      },
      count: 3,
    });
    // The input is not changed (copy on write) …
    expect(input.password).toBe('p1');
    expect(input.nested.deeper[0]).toEqual({ token: 't1', keep: 1 });
    // … and an object without secrets is returned as it is, subtrees too.
    const clean = { a: 1, b: { c: [1, 2, { d: 'x' }] } };
    expect(redactSecrets(clean)).toBe(clean);
    const mixed = { a: { b: 1 }, c: { token: 'x' } };
    expect((redactSecrets(mixed) as typeof mixed).a).toBe(mixed.a);
  });

  it('stops at depth 10 and on cycles, and leaves class instances alone', () => {
    let deep: Record<string, unknown> = { password: 'bottom' };
    for (let i = 0; i < 20; i += 1) deep = { down: deep };
    expect(JSON.stringify(redactSecrets(deep))).not.toContain('bottom');
    const cyclic: Record<string, unknown> = { token: 'x' };
    cyclic.self = cyclic;
    expect(() => redactSecrets(cyclic)).not.toThrow();
    const when = new Date(0);
    expect(redactSecrets({ when }) as { when: Date }).toEqual({ when });
  });

  it('matches key names without case, dashes or underscores', () => {
    for (const k of ['PASSWORD', 'current_password', 'x-auth-token', 'accessToken', 'Cookie'])
      expect(isSecretKey(k), k).toBe(true);
    for (const k of ['username', 'ticketId', 'status', 'reqId', 'route', 'signature', 'keyId'])
      expect(isSecretKey(k), k).toBe(false);
  });
});

describe('createLogger', () => {
  it('writes no secret at any depth, in log objects and child bindings; err still summarized', () => {
    const sink = capture();
    const log = createLogger('info', sink);
    log.info(
      { body: { username: 'ann', password: 'hunter22', items: [{ apiKey: 'k-123' }] } },
      'x',
    );
    log.child({ session: { token: 'tok-456' } }).warn('child');
    log.error({ err: Object.assign(new Error('boom'), { params: ['hunter22'] }) }, 'failed');
    expect(sink.text).not.toMatch(/hunter22|k-123|tok-456/);
    expect(sink.lines[0]).toMatchObject({ body: { username: 'ann', password: REDACTED } });
    expect(sink.lines[2]?.err).toMatchObject({ message: 'boom' });
  });

  it('adds the reqId of the scope it is called in, once', () => {
    const sink = capture();
    const log = createLogger('info', sink);
    logScope.run({ reqId: 'r-1' }, () => {
      log.info('inside');
      log.child({ reqId: 'r-1' }).info('bound child');
      log.info({ reqId: 'explicit' }, 'explicit');
    });
    log.info('outside');
    expect(sink.lines.map((l) => l.reqId)).toEqual(['r-1', 'r-1', 'explicit', undefined]);
    expect(sink.text.split('\n')[1]?.match(/"reqId"/g)).toHaveLength(1);
  });
});

describe('resolveLogFormat', () => {
  it('is pretty on a terminal unless told, JSON otherwise', () => {
    expect(resolveLogFormat(undefined, true)).toBe('pretty');
    expect(resolveLogFormat(undefined, false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });
});
