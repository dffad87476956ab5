import { useEffect, useMemo, useRef } from 'react';
import { useServices } from '../../app/services';
import { useT } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';

/** How long after the last keystroke the seat stops announcing "typing". */
export const TYPING_IDLE_MS = 4_000;

/**
 * Announces that this seat views a ticket while mounted, and returns
 * `onTyping`: call it on every edit; it tells the server once, then again
 * only after the user has paused for {@link TYPING_IDLE_MS}.
 */
export function usePresence(ticketId: string): () => void {
  const { bridge } = useServices();
  const idleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const typing = useRef(false);
  useEffect(() => {
    bridge.watchTicket(ticketId, false);
    return () => {
      if (idleTimer.current) clearTimeout(idleTimer.current);
      idleTimer.current = null;
      typing.current = false;
      bridge.leaveTicket(ticketId);
    };
  }, [bridge, ticketId]);
  return useMemo(
    () => () => {
      if (!typing.current) {
        typing.current = true;
        bridge.watchTicket(ticketId, true);
      }
      if (idleTimer.current) clearTimeout(idleTimer.current);
      idleTimer.current = setTimeout(() => {
        typing.current = false;
        bridge.watchTicket(ticketId, false);
      }, TYPING_IDLE_MS);
    },
    [bridge, ticketId],
  );
}

/** Who else has this ticket open, and who is typing: a collision warning, not a lock. */
export function PresenceBar({ ticketId }: { ticketId: string }) {
  const t = useT();
  const me = useAppStore((state) => state.session?.user.id ?? null);
  const viewers = useAppStore((state) => state.presence[ticketId]);
  const others = (viewers ?? []).filter((v) => v.userId !== me);
  if (others.length === 0) return null;
  const typing = others.filter((v) => v.typing);
  return (
    <div className="presence" role="status" aria-live="polite" data-testid="presence">
      <span className="presence__dot" aria-hidden="true" />
      {t('presence.viewing', { names: others.map((v) => v.displayName).join(', ') })}
      {typing.length > 0 && (
        <strong className="presence__typing">
          {' '}
          {t('presence.typing', { names: typing.map((v) => v.displayName).join(', ') })}
        </strong>
      )}
    </div>
  );
}
