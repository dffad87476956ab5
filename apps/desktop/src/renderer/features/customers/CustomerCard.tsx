import { useEffect } from 'react';
import './customers.css';
import { navigate } from '../../app/router';
import { useServices } from '../../app/services';
import { useT } from '../../i18n/i18n';
import type { Ticket } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';

/**
 * The ticket's customer in the workspace: the linked organisation (a link to its page) and
 * contact, as the records read now (a change on another seat shows live), else the free text
 * the ticket was logged with (tickets older than the records, or never linked).
 */
export function CustomerCard({ ticket }: { ticket: Ticket }) {
  const t = useT();
  const { api, store } = useServices();
  const token = useAppStore((s) => s.session?.token ?? null);
  const contactId = ticket.contactId ?? null;
  const organisationId = ticket.organisationId ?? null;
  const contact = useAppStore((s) => (contactId ? s.contacts[contactId] : undefined));
  const organisation = useAppStore((s) =>
    organisationId ? s.organisations[organisationId] : undefined,
  );

  useEffect(() => {
    if (!contactId || contact || !token) return;
    let cancelled = false;
    void api.getContact(token, contactId).then((c) => {
      if (!cancelled && c) store.getState().rememberContacts([c]);
    });
    return () => {
      cancelled = true;
    };
  }, [api, contact, contactId, store, token]);

  const free = ticket.customer;
  if (!organisationId && !contactId) {
    const text = [free.org, free.contact, free.phone].filter(Boolean).join(' · ');
    return <span data-testid="ticket-customer">{text || '—'}</span>;
  }
  const orgName =
    organisation?.name ??
    (contact?.organisation?.id === organisationId ? contact?.organisation?.name : null) ??
    free.org ??
    organisationId;
  const person = contact
    ? [contact.name, contact.phone].filter(Boolean).join(' · ')
    : [free.contact, free.phone].filter(Boolean).join(' · ');
  return (
    <span className="customer-card" data-testid="ticket-customer">
      {organisationId && (
        <a
          href={`/organisations/${encodeURIComponent(organisationId)}`}
          className="customer-card__org"
          onClick={(e) => {
            e.preventDefault();
            navigate(`/organisations/${encodeURIComponent(organisationId)}`);
          }}
          title={t('customer.openOrganisation', { name: orgName ?? '' })}
        >
          {orgName}
        </a>
      )}
      {person && <span className="customer-card__contact"> {person}</span>}
    </span>
  );
}
