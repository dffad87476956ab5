import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export const GENESIS_HASH = '0'.repeat(64);

export interface HashedFields {
  seq: number;
  id: string;
  type: string;
  ticketId: string | null;
  actorId: string | null;
  at: string;
  data: unknown;
  commandId: string | null;
}

function hashedObject(e: HashedFields): Record<string, unknown> {
  return {
    seq: e.seq,
    id: e.id,
    type: e.type,
    ticketId: e.ticketId,
    actorId: e.actorId,
    at: e.at,
    data: e.data,
    commandId: e.commandId,
  };
}

/** `sha256(prev_hash || canonical(event))`, hex. */
export function hashEvent(prevHash: string, e: HashedFields): string {
  return createHash('sha256')
    .update(prevHash)
    .update(canonicalJson(hashedObject(e)))
    .digest('hex');
}

/**
 * The canonical JSON of an event split around its seq, for a hash taken where the seq is
 * assigned (the `dutydesk_append` SQL function): `pre + String(seq) + post` equals
 * `canonicalJson` of the event with that seq, so `sha256(prev || pre || seq || post)` equals
 * {@link hashEvent}.
 */
export function canonicalAroundSeq(e: Omit<HashedFields, 'seq'>): { pre: string; post: string } {
  const obj = hashedObject({ ...e, seq: 0 });
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  const part = (list: string[]): string =>
    list.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',');
  const before = keys.filter((k) => k < 'seq');
  const after = keys.filter((k) => k > 'seq');
  return {
    pre: `{${part(before)}${before.length > 0 ? ',' : ''}"seq":`,
    post: `${after.length > 0 ? ',' : ''}${part(after)}}`,
  };
}
