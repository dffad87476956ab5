import { useEffect, useMemo, useRef, useState } from 'react';
import { navigate } from '../../app/router';
import { useT } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import type { PaletteAction } from './paletteRegistry';
import { findTickets, looksLikeTicketNumber, lookUpTicketNumber } from './ticketSearch';
import type { FoundTicket } from './ticketSearch';

/** How long typing must pause before a ticket number is looked up on the server. */
const LOOKUP_DELAY_MS = 250;

const openTicket = (id: string): void => navigate(`/tickets/${encodeURIComponent(id)}`);

/**
 * Ctrl/Cmd+K: type to filter the frequent actions, arrows to move, Enter to
 * run. Typing a ticket's number or words of its title lists the matching tickets the seat
 * holds; a ticket number the seat does not hold (a closed ticket) is looked up on the server.
 * Focus returns where it was when the palette closes.
 */
export function CommandPalette({
  actions,
  onClose,
}: {
  actions: readonly PaletteAction[];
  onClose(): void;
}) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  useEffect(() => {
    inputRef.current?.focus();
    return () => opener?.focus();
  }, [opener]);
  const tickets = useAppStore((state) => state.tickets);
  const token = useAppStore((state) => state.session?.token ?? null);
  const [lookup, setLookup] = useState<{ number: string; found: FoundTicket | null } | null>(null);
  const local = useMemo(() => findTickets(tickets, query), [tickets, query]);
  const wanted = query.trim();
  const needsLookup =
    looksLikeTicketNumber(wanted) &&
    !local.some((ticket) => ticket.number.toLowerCase() === wanted.toLowerCase());
  useEffect(() => {
    if (!needsLookup || !token) return undefined;
    let cancelled = false;
    const timer = setTimeout(() => {
      lookUpTicketNumber(token, wanted)
        .then((found) => !cancelled && setLookup({ number: wanted, found }))
        .catch(() => !cancelled && setLookup({ number: wanted, found: null }));
    }, LOOKUP_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [needsLookup, token, wanted]);
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    const commands = q ? actions.filter((a) => a.label.toLowerCase().includes(q)) : actions;
    const found: PaletteAction[] = local.map((ticket) => ({
      id: `ticket-${ticket.id}`,
      label: t('palette.openTicket', { number: ticket.number, title: ticket.title }),
      run: () => openTicket(ticket.id),
    }));
    const remote = lookup?.number === wanted && needsLookup ? lookup.found : null;
    if (remote && !local.some((ticket) => ticket.id === remote.id)) {
      found.unshift({
        id: `ticket-${remote.id}`,
        label: t('palette.openTicket', { number: remote.number, title: remote.title }),
        run: () => openTicket(remote.id),
      });
    }
    return [...found, ...commands];
  }, [actions, query, local, lookup, wanted, needsLookup, t]);
  const lookupFailed =
    needsLookup && lookup?.number === wanted && lookup.found === null && matches.length === 0;
  const current = Math.min(index, Math.max(0, matches.length - 1));
  const choose = (action: PaletteAction | undefined): void => {
    if (!action) return;
    onClose();
    // After the palette is gone and focus restored, so the action can move focus itself.
    queueMicrotask(() => action.run());
  };
  return (
    <div
      className="overlay overlay--top"
      role="presentation"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
    >
      <div className="palette" role="dialog" aria-modal="true" aria-label={t('palette.title')}>
        <input
          ref={inputRef}
          className="palette__input"
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={matches[current] ? `palette-${matches[current].id}` : undefined}
          placeholder={t('palette.placeholder')}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setIndex(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              onClose();
            } else if (e.key === 'ArrowDown') {
              e.preventDefault();
              setIndex(Math.min(matches.length - 1, current + 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setIndex(Math.max(0, current - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              choose(matches[current]);
            }
          }}
        />
        <ul
          id="palette-list"
          className="palette__list"
          role="listbox"
          aria-label={t('palette.title')}
        >
          {matches.length === 0 && (
            <li className="palette__empty">
              {lookupFailed
                ? t('palette.lookupFailed', { number: wanted })
                : needsLookup
                  ? t('palette.lookup', { number: wanted })
                  : t('palette.empty')}
            </li>
          )}
          {matches.map((action, i) => (
            <li
              key={action.id}
              id={`palette-${action.id}`}
              role="option"
              aria-selected={i === current}
              className="palette__item"
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(action)}
            >
              <span>{action.label}</span>
              {action.shortcut && <kbd className="kbd">{action.shortcut}</kbd>}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
