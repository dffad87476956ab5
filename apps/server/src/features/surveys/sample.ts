/**
 * The quarterly NPS sample (decision 53), pure: the round of an instant (`2026-Q4`, quarters
 * of the desk's calendar, UTC+8 like its day) and a seeded, reproducible sample of contacts:
 * each contact's rank is the SHA-256 of seed, round and id, and the lowest `percent` % (at
 * least one) are asked. The same seed, round and contacts give the same sample on every node
 * and every run; a new quarter gives a new one.
 */
import { createHash } from 'node:crypto';

/** The desk's offset for quarter boundaries (Asia/Shanghai has no daylight saving). */
const DESK_OFFSET_MS = 8 * 3_600_000;

/** The NPS round of an instant. */
export function roundOf(now: Date): string {
  const local = new Date(now.getTime() + DESK_OFFSET_MS);
  const q = Math.floor(local.getUTCMonth() / 3) + 1;
  return `${local.getUTCFullYear()}-Q${q}`;
}

/** The first instant of a round (its quarter's first day, 00:00 desk time). */
export function roundStart(round: string): Date {
  const m = /^(\d{4})-Q([1-4])$/.exec(round);
  if (!m) throw new Error(`not a round: ${round}`);
  return new Date(Date.UTC(Number(m[1]), (Number(m[2]) - 1) * 3, 1) - DESK_OFFSET_MS);
}

/** The contacts asked in a round: the `percent` % (at least one) of lowest rank, in rank order. */
export function sampleContacts(
  ids: readonly string[],
  seed: string,
  round: string,
  percent: number,
): string[] {
  if (ids.length === 0 || percent <= 0) return [];
  const n = Math.min(ids.length, Math.max(1, Math.ceil((ids.length * percent) / 100)));
  const rank = (id: string) =>
    createHash('sha256').update(`${seed}\n${round}\n${id}`, 'utf8').digest('hex');
  return [...new Set(ids)]
    .map((id) => ({ id, r: rank(id) }))
    .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0))
    .slice(0, n)
    .map((x) => x.id);
}
