import type { StateCreator } from 'zustand';
import type { ContactMatch, DomainEvent, Organisation } from '../../realtime/contract';
import type { AppState } from '../../store/appStore';

/** A contact as the console keeps it (the lookup's shape, its organisation's name beside it). */
export type KnownContact = ContactMatch;

/**
 * Customer records the console has read (lookups, pages, the ticket workspace), kept current by
 * the records' events on the stream (`organisation.*`, `contact.*`, decision 31): a seat that
 * shows a contact sees another seat's change to it live.
 */
export interface CustomersSlice {
  organisations: Record<string, Organisation>;
  contacts: Record<string, KnownContact>;
  rememberContacts(list: readonly KnownContact[]): void;
  rememberOrganisation(organisation: Organisation): void;
}

export const createCustomersSlice: StateCreator<AppState, [], [], CustomersSlice> = (set) => ({
  organisations: {},
  contacts: {},
  rememberContacts: (list) =>
    set((state) => {
      if (list.length === 0) return {};
      const contacts = { ...state.contacts };
      for (const c of list) contacts[c.id] = c;
      return { contacts };
    }),
  rememberOrganisation: (organisation) =>
    set((state) => ({
      organisations: { ...state.organisations, [organisation.id]: organisation },
    })),
});

type Caches = Pick<CustomersSlice, 'organisations' | 'contacts'>;

/**
 * Applies one customer record's event to the caches (the tickets slice calls it from its event
 * loop). Records the seat never read are left out; an organisation's new name reaches its
 * contacts' `organisation` too. Returns the same object when nothing changed.
 */
export function applyCustomerEvent(caches: Caches, event: DomainEvent): Caches {
  switch (event.type) {
    case 'organisation.created':
    case 'organisation.updated': {
      const { changed: _changed, ...org } = event.data;
      const known = caches.organisations[org.id] !== undefined;
      const contacts = Object.values(caches.contacts).filter((c) => c.organisation?.id === org.id);
      if (!known && contacts.length === 0) return caches;
      const next = { ...caches.contacts };
      for (const c of contacts)
        next[c.id] = { ...c, organisation: { id: org.id, name: org.name, status: org.status } };
      return {
        organisations: known ? { ...caches.organisations, [org.id]: org } : caches.organisations,
        contacts: contacts.length > 0 ? next : caches.contacts,
      };
    }
    case 'contact.created':
    case 'contact.updated': {
      const { changed: _changed, ...contact } = event.data;
      const before = caches.contacts[contact.id];
      if (!before && event.type === 'contact.updated') return caches;
      const org = contact.organisationId ? caches.organisations[contact.organisationId] : undefined;
      const organisation =
        before?.organisation?.id === contact.organisationId
          ? before.organisation
          : org
            ? { id: org.id, name: org.name, status: org.status }
            : null;
      return {
        ...caches,
        contacts: { ...caches.contacts, [contact.id]: { ...contact, organisation } },
      };
    }
    case 'organisation.deleted': {
      if (!caches.organisations[event.data.id]) return caches;
      const organisations = { ...caches.organisations };
      delete organisations[event.data.id];
      return { ...caches, organisations };
    }
    case 'contact.deleted': {
      if (!caches.contacts[event.data.id]) return caches;
      const contacts = { ...caches.contacts };
      delete contacts[event.data.id];
      return { ...caches, contacts };
    }
    default:
      return caches;
  }
}
