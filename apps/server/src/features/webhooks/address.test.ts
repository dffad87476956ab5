import { describe, expect, it } from 'vitest';
import {
  buildAllowList,
  describeNonPublic,
  resolveTarget,
  TargetError,
  type Lookup,
} from './address';

const none = buildAllowList([]);

/** A resolver with fixed answers (no DNS traffic in tests). */
function fakeDns(answers: Record<string, string[]>): Lookup {
  return (host) => {
    const list = answers[host];
    if (!list) return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    return Promise.resolve(
      list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
}

describe('describeNonPublic', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'linkLocal'],
    ['::127.0.0.1', 'loopback'],
    ['::7f00:2', 'ipv4Compatible'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['[::1]', 'loopback'],
  ])('%s is not public (%s)', (address, why) => {
    expect(describeNonPublic(address)).toBe(why);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(describeNonPublic(address)).toBeNull();
    },
  );
});

describe('resolveTarget', () => {
  it('refuses loopback and private addresses by default, literal or resolved', async () => {
    for (const url of [
      'http://127.0.0.1/x',
      'http://[::1]/x',
      'http://10.0.0.1/x',
      'http://2130706433/x',
    ]) {
      await expect(resolveTarget(new URL(url), none, fakeDns({}))).rejects.toMatchObject({
        kind: 'refused',
      });
    }
    await expect(
      resolveTarget(
        new URL('http://hooks.example/x'),
        none,
        fakeDns({ 'hooks.example': ['10.2.3.4'] }),
      ),
    ).rejects.toThrow(
      /hooks\.example resolves to 10\.2\.3\.4, which is not a public address \(private\)/,
    );
  });

  it('refuses a host when any of its addresses is not public (a resolver could hand out either)', async () => {
    const dns = fakeDns({ 'mixed.example': ['93.184.215.14', '127.0.0.1'] });
    await expect(
      resolveTarget(new URL('https://mixed.example/'), none, dns),
    ).rejects.toBeInstanceOf(TargetError);
  });

  it('pins the first checked address and says when a host does not resolve', async () => {
    const dns = fakeDns({ 'hooks.example': ['93.184.215.14', '2606:4700::1'] });
    await expect(resolveTarget(new URL('https://hooks.example/'), none, dns)).resolves.toEqual({
      hostname: 'hooks.example',
      address: '93.184.215.14',
      family: 4,
    });
    await expect(
      resolveTarget(new URL('https://nowhere.example/'), none, dns),
    ).rejects.toMatchObject({
      kind: 'unresolved',
      message: 'nowhere.example does not resolve (ENOTFOUND)',
    });
  });

  it('allows what the operator lists: an address, a subnet or a host name', async () => {
    const allow = buildAllowList(['127.0.0.1', '10.20.0.0/16', 'hooks.internal', '[::1]']);
    const dns = fakeDns({ 'hooks.internal': ['192.168.7.7'], 'other.internal': ['192.168.7.7'] });
    await expect(
      resolveTarget(new URL('http://127.0.0.1:8080/'), allow, dns),
    ).resolves.toMatchObject({ address: '127.0.0.1' });
    await expect(resolveTarget(new URL('http://[::1]/'), allow, dns)).resolves.toMatchObject({
      address: '::1',
      family: 6,
    });
    await expect(
      resolveTarget(new URL('http://[::ffff:127.0.0.1]/'), allow, dns),
    ).resolves.toBeTruthy();
    await expect(resolveTarget(new URL('http://10.20.3.4/'), allow, dns)).resolves.toBeTruthy();
    await expect(resolveTarget(new URL('http://10.21.3.4/'), allow, dns)).rejects.toBeTruthy();
    await expect(resolveTarget(new URL('http://127.0.0.2/'), allow, dns)).rejects.toBeTruthy();
    await expect(
      resolveTarget(new URL('http://HOOKS.internal/'), allow, dns),
    ).resolves.toMatchObject({ hostname: 'hooks.internal', address: '192.168.7.7' });
    await expect(resolveTarget(new URL('http://other.internal/'), allow, dns)).rejects.toBeTruthy();
  });
});
