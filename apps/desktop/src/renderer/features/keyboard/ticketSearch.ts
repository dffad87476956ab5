import { z } from 'zod';
import type { Ticket } from '../../realtime/contract';

/** How many tickets the palette lists for a query. */
export const PALETTE_TICKET_LIMIT = 8;

/** A query that looks like a whole or partial ticket number: INC-2026-000123, CMP-12, 000123. */
export function looksLikeTicketNumber(query: string): boolean {
  return (
    /^([A-Za-z]{2,5}-)?[\d-]{2,}$/.test(query.trim()) || /^[A-Za-z]{2,5}-\d/.test(query.trim())
  );
}

/**
 * The tickets the store holds whose number or title contains the query (case-insensitive),
 * an exact number first, then open before closed, newest first.
 * @example findTickets(tickets, 'printer') // [{ number: 'INC-2026-000012', title: 'Printer…' }]
 */
export function findTickets(tickets: Readonly<Record<string, Ticket>>, query: string): Ticket[] {
  const q = query.trim().toLowerCase();
  if (q.length < 2) return [];
  const hits: Ticket[] = [];
  for (const ticket of Object.values(tickets)) {
    if (ticket.number.toLowerCase().includes(q) || ticket.title.toLowerCase().includes(q))
      hits.push(ticket);
  }
  const closed = (t: Ticket): number => (t.status === 'closed' ? 1 : 0);
  return hits
    .sort(
      (a, b) =>
        Number(b.number.toLowerCase() === q) - Number(a.number.toLowerCase() === q) ||
        closed(a) - closed(b) ||
        b.receivedAt.localeCompare(a.receivedAt),
    )
    .slice(0, PALETTE_TICKET_LIMIT);
}

const foundSchema = z.looseObject({ id: z.string(), number: z.string(), title: z.string() });
const listSchema = z.object({ tickets: z.array(z.unknown()) });
export type FoundTicket = z.infer<typeof foundSchema>;

/**
 * Any ticket by its number from the server, closed ones too (the store holds open tickets
 * only): `GET /api/tickets/by-number/:number`, else `GET /api/tickets?number=`. Null when none.
 */
export async function lookUpTicketNumber(
  token: string,
  number: string,
  fetchImpl: typeof fetch = fetch,
): Promise<FoundTicket | null> {
  const headers = { authorization: `Bearer ${token}` };
  const direct = await fetchImpl(`/api/tickets/by-number/${encodeURIComponent(number)}`, {
    headers,
  });
  if (direct.ok) {
    const parsed = foundSchema.safeParse(await direct.json());
    if (parsed.success) return parsed.data;
  }
  const listed = await fetchImpl(`/api/tickets?number=${encodeURIComponent(number)}`, {
    headers,
  });
  if (!listed.ok) return null;
  const body = listSchema.safeParse(await listed.json());
  if (!body.success) return null;
  for (const item of body.data.tickets) {
    const parsed = foundSchema.safeParse(item);
    if (parsed.success && parsed.data.number.toLowerCase() === number.toLowerCase())
      return parsed.data;
  }
  return null;
}
