import { useState } from 'react';
import { navigate } from '../../app/router';
import { useT } from '../../i18n/i18n';
import type { Ticket } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { kbApi } from './kbApi';
import { KbSuggestions } from './KbSuggestions';

/**
 * The ticket workspace's knowledge panel: suggestions for the ticket's title and description,
 * and, once it is resolved, "Make a case from this ticket" (a draft article from its logs).
 */
export function KbTicketPanel({ ticket }: { ticket: Ticket }) {
  const t = useT();
  const token = useAppStore((s) => s.session?.token ?? null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const resolved = ticket.status === 'resolved' || ticket.status === 'closed';
  return (
    <div className="kb-ticket">
      <KbSuggestions
        title={ticket.title}
        description={ticket.description}
        ticketId={ticket.id}
        openInPlace
      />
      {resolved && token && (
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            setError(null);
            void kbApi.makeCase(token, ticket.id).then((r) => {
              setBusy(false);
              if (r.ok) navigate(`/kb/${encodeURIComponent(r.article.id)}`);
              else setError(r.message);
            });
          }}
        >
          {t('kb.makeCase')}
        </button>
      )}
      {error && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
