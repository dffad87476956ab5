import { useT } from '../i18n/i18n';
import { useAppStore } from '../store/StoreContext';
import { navigate } from './router';

/** Where the ticket workspace (second half of the agent console) will live. */
export function TicketPanel({ ticketId }: { ticketId: string }) {
  const t = useT();
  const number = useAppStore((state) => state.tickets[ticketId]?.number ?? ticketId);
  return (
    <aside className="ticket-panel" aria-label={number}>
      <p>{t('ticket.placeholder', { number })}</p>
      <button type="button" className="button button--quiet" onClick={() => navigate('/')}>
        {t('ticket.close')}
      </button>
    </aside>
  );
}
