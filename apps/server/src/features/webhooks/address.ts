/**
 * Where a webhook may go (SSRF): only public unicast addresses, checked after DNS resolution,
 * unless the operator allows a host by name or an address or subnet
 * (`DUTYDESK_WEBHOOK_ALLOW_HOSTS`). The checked address is the one the request connects to
 * (send.ts pins it), so a second, different DNS answer cannot slip in between.
 */
import ipaddr from 'ipaddr.js';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** A resolver as `dns.promises.lookup(host, { all: true })` answers (tests pass their own). */
export type Lookup = (host: string) => Promise<Array<{ address: string; family: number }>>;

const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });

/** What the operator allows beyond public addresses. */
export interface AllowList {
  readonly names: ReadonlySet<string>;
  readonly subnets: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
}

/** The allow list from the configuration's entries (host names, addresses, subnets). */
export function buildAllowList(entries: readonly string[]): AllowList {
  const names = new Set<string>();
  const subnets: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  for (const raw of entries) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^\[(.*)\]$/, '$1');
    if (!entry) continue;
    if (entry.includes('/') && ipaddr.isValidCIDR(entry)) {
      const [addr, bits] = ipaddr.parseCIDR(entry);
      subnets.push([normalise(addr), addr.kind() === 'ipv6' && isMapped(addr) ? bits - 96 : bits]);
    } else if (ipaddr.isValid(entry) && isIP(entry) !== 0) {
      const addr = normalise(ipaddr.parse(entry));
      subnets.push([addr, addr.kind() === 'ipv4' ? 32 : 128]);
    } else {
      names.add(entry.replace(/\.$/, ''));
    }
  }
  return { names, subnets };
}

function isMapped(addr: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress();
}

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is the IPv4 address it carries. */
function normalise(addr: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return isMapped(addr) ? (addr as ipaddr.IPv6).toIPv4Address() : addr;
}

/** IPv4-compatible IPv6 addresses (deprecated; ipaddr.js counts them unicast). */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/**
 * Why an address is not public, or null when it is: ipaddr.js's range name (`loopback`,
 * `private`, `linkLocal`, `uniqueLocal`, `multicast`, `unspecified`, `carrierGradeNat`,
 * `reserved`, …); anything but plain `unicast` is refused, and an IPv4-mapped IPv6 address is
 * judged as the IPv4 address it carries. The deprecated IPv4-compatible IPv6 block (::/96,
 * `::127.0.0.1`), which ipaddr.js calls unicast, is refused too.
 * @example describeNonPublic('10.0.0.7') // 'private'
 * @example describeNonPublic('::ffff:127.0.0.1') // 'loopback'
 * @example describeNonPublic('93.184.215.14') // null
 */
export function describeNonPublic(address: string): string | null {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  if (!ipaddr.isValid(bare)) return 'invalid';
  const addr = normalise(ipaddr.parse(bare));
  const range = addr.range();
  if (range !== 'unicast') return range;
  if (addr.kind() === 'ipv6' && addr.match(IPV4_COMPATIBLE)) return 'ipv4Compatible';
  return null;
}

function isAllowedAddress(address: string, allow: AllowList): boolean {
  const addr = normalise(ipaddr.parse(address));
  return allow.subnets.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
}

/** A target refused (not public, not allowed) or not resolvable, with a message to show. */
export class TargetError extends Error {
  override name = 'TargetError';
  constructor(
    message: string,
    /** `refused`: the address is not allowed; `unresolved`: DNS had no answer. */
    readonly kind: 'refused' | 'unresolved',
  ) {
    super(message);
  }
}

/** Where to connect for a URL: its host name (for TLS and `Host`) and the checked address. */
export interface Target {
  readonly hostname: string;
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * Resolves a URL's host and checks every address it resolves to (one refused address refuses
 * the host: a resolver could hand out either). A host allowed by name skips the address check;
 * an allowed address or subnet passes it. Returns the first address, which the request is
 * pinned to.
 */
export async function resolveTarget(
  url: URL,
  allow: AllowList,
  lookup: Lookup = systemLookup,
): Promise<Target> {
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const byName = allow.names.has(hostname.replace(/\.$/, ''));
  let answers: Array<{ address: string; family: number }>;
  if (isIP(hostname) !== 0) {
    answers = [{ address: hostname, family: isIP(hostname) }];
  } else {
    try {
      answers = await lookup(hostname);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new TargetError(
        `${hostname} does not resolve${typeof code === 'string' ? ` (${code})` : ''}`,
        'unresolved',
      );
    }
    if (answers.length === 0) throw new TargetError(`${hostname} does not resolve`, 'unresolved');
  }
  if (!byName) {
    for (const a of answers) {
      const why = describeNonPublic(a.address);
      if (why !== null && !isAllowedAddress(a.address, allow))
        throw new TargetError(
          `${hostname === a.address ? hostname : `${hostname} resolves to ${a.address}, which`} is not a public address (${why}); ` +
            'the operator may allow it with DUTYDESK_WEBHOOK_ALLOW_HOSTS',
          'refused',
        );
    }
  }
  const first = answers[0];
  if (!first) throw new TargetError(`${hostname} does not resolve`, 'unresolved');
  return { hostname, address: first.address, family: first.family === 6 ? 6 : 4 };
}
