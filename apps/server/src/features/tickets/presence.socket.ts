import { rooms, type Presence } from '@dutydesk/shared';
import type { DutyServer, DutySocket } from '../../realtime/io';
import { onNotice } from '../../realtime/messages';
import type { Logger } from '../../log';

/** Tickets one seat may watch at once. */
export const MAX_WATCHED = 20;
/**
 * One seat changes what others see of one ticket at most this often: a burst of watches, or
 * typing toggled on every key, reaches the other viewers as one `presence` per interval with
 * the latest state (the last change of a burst is always sent).
 */
export const PRESENCE_INTERVAL_MS = 250;

/**
 * `presence.watch { ticketId, typing? }` / `presence.leave { ticketId }`: who views and who types
 * in a ticket, in socket rooms only (never stored). A watch that changes nothing (the same
 * ticket, the same typing) is not sent on; changes are sent at most once per
 * {@link PRESENCE_INTERVAL_MS} per seat and ticket, so one seat's flood cannot fan out to the
 * other viewers (3 000 repeated watches used to reach each of them 3 001 times).
 */
export function createPresenceHandler(
  io: () => DutyServer,
  log: Logger,
): (socket: DutySocket) => void {
  const broadcast = async (ticketId: string): Promise<void> => {
    const sockets = await io().in(rooms.ticket(ticketId)).fetchSockets();
    const byUser = new Map<string, Presence['viewers'][number]>();
    for (const s of sockets) {
      const data = s.data as { user: { id: string; displayName: string }; typing?: string[] };
      const prev = byUser.get(data.user.id);
      const isTyping = (data.typing ?? []).includes(ticketId) || (prev?.typing ?? false);
      byUser.set(data.user.id, {
        userId: data.user.id,
        displayName: data.user.displayName,
        typing: isTyping,
      });
    }
    const presence: Presence = { ticketId, viewers: [...byUser.values()] };
    io().to(rooms.ticket(ticketId)).emit('presence', presence);
  };

  return (socket) => {
    const watched = new Set<string>();
    const typing = new Set<string>();
    /** Per ticket: when this seat last sent, and whether a later change waits for its turn. */
    const pacing = new Map<string, { lastAt: number; timer: NodeJS.Timeout | null }>();

    const send = (ticketId: string): void => {
      void broadcast(ticketId).catch(() => {});
    };
    const schedule = (ticketId: string): void => {
      const now = Date.now();
      const pace = pacing.get(ticketId) ?? { lastAt: 0, timer: null };
      pacing.set(ticketId, pace);
      if (pace.timer) return; // the pending send will carry this change too
      const wait = pace.lastAt + PRESENCE_INTERVAL_MS - now;
      if (wait <= 0) {
        pace.lastAt = now;
        send(ticketId);
        return;
      }
      pace.timer = setTimeout(() => {
        pace.timer = null;
        pace.lastAt = Date.now();
        send(ticketId);
        if (!watched.has(ticketId)) pacing.delete(ticketId);
      }, wait);
    };
    const syncTyping = (): void => {
      (socket.data as unknown as { typing: string[] }).typing = [...typing];
    };

    onNotice(socket, log, 'presence.watch', async (p) => {
      const id = p.ticketId;
      const isNew = !watched.has(id);
      if (isNew && watched.size >= MAX_WATCHED) return;
      const wantsTyping = p.typing === true;
      if (!isNew && typing.has(id) === wantsTyping) return; // nothing changed: nothing to tell
      watched.add(id);
      if (wantsTyping) typing.add(id);
      else typing.delete(id);
      syncTyping();
      if (isNew) await socket.join(rooms.ticket(id));
      schedule(id);
    });
    onNotice(socket, log, 'presence.leave', async ({ ticketId: id }) => {
      if (!watched.has(id)) return;
      watched.delete(id);
      typing.delete(id);
      syncTyping();
      await socket.leave(rooms.ticket(id));
      schedule(id);
    });
    socket.on('disconnect', () => {
      for (const pace of pacing.values()) if (pace.timer) clearTimeout(pace.timer);
      for (const id of watched) send(id);
    });
  };
}
