/**
 * Socket.IO room names. Always built here, never as ad-hoc strings, so every
 * publisher and every join agree.
 * @example io.to(rooms.queue(ticket.groupId)).emit('event', e)
 */
export const rooms = {
  /** Every seat of one session token (logout and revocation drop it). */
  session: (sessionId: string): string => `session:${sessionId}`,
  /** Every seat of one user (alerts to a person). */
  user: (userId: string): string => `user:${userId}`,
  /** A group's queue. */
  queue: (groupId: string): string => `queue:${groupId}`,
  /** Tickets not yet in any group: the intake queue of the L1 desk. */
  intake: (): string => 'queue:intake',
  /** Seats that opened one ticket (presence). */
  ticket: (ticketId: string): string => `ticket:${ticketId}`,
  /** Every seat of a role (duty managers see all alerts). */
  role: (role: string): string => `role:${role}`,
  /** Every wallboard. */
  wallboard: (): string => 'wallboard',
  /** Every seat of the desk: staff and wallboards (the whole event stream). */
  all: (): string => 'all-tickets',
  /** Seats whose snapshot or replay is done: only they get the `head` beacon. */
  live: (): string => 'live',
} as const;
