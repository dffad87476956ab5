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

/** `sha256(prev_hash || canonical(event))`, hex. */
export function hashEvent(prevHash: string, e: HashedFields): string {
  return createHash('sha256')
    .update(prevHash)
    .update(
      canonicalJson({
        seq: e.seq,
        id: e.id,
        type: e.type,
        ticketId: e.ticketId,
        actorId: e.actorId,
        at: e.at,
        data: e.data,
        commandId: e.commandId,
      }),
    )
    .digest('hex');
}
