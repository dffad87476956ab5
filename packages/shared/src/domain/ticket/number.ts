import type { TicketKind } from '../../contract/ticket';

/** Number prefix per ticket kind. */
export const TICKET_NUMBER_PREFIX: Readonly<Record<TicketKind, string>> = {
  incident: 'INC',
  service_request: 'REQ',
  complaint: 'CMP',
  consultation: 'CON',
};

const numberPattern = /^(INC|REQ|CMP|CON)-(\d{4})-(\d{6,})$/;

/**
 * Formats a ticket number: prefix of the kind, year, and the running number of that year
 * zero-padded to six digits (more digits once past 999 999).
 * @throws RangeError when `year` is not a four-digit year or `n` is not a positive integer.
 * @example formatTicketNumber('incident', 2026, 123) // 'INC-2026-000123'
 */
export function formatTicketNumber(kind: TicketKind, year: number, n: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new RangeError(`year must be a four-digit integer, got ${year}`);
  }
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`n must be a positive integer, got ${n}`);
  }
  return `${TICKET_NUMBER_PREFIX[kind]}-${year}-${String(n).padStart(6, '0')}`;
}

/**
 * Reads a ticket number back into its parts, or `null` when it is not one.
 * @example parseTicketNumber('REQ-2026-000042') // { kind: 'service_request', year: 2026, n: 42 }
 */
export function parseTicketNumber(
  value: string,
): { kind: TicketKind; year: number; n: number } | null {
  const match = numberPattern.exec(value);
  if (!match) return null;
  const [, prefix, year, n] = match;
  const kind = (Object.keys(TICKET_NUMBER_PREFIX) as TicketKind[]).find(
    (k) => TICKET_NUMBER_PREFIX[k] === prefix,
  );
  const parsed = Number(n);
  if (!kind || !Number.isSafeInteger(parsed) || parsed < 1) return null;
  return { kind, year: Number(year), n: parsed };
}
