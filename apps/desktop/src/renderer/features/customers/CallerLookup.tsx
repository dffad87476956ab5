import { useEffect, useId, useRef, useState } from 'react';
import './customers.css';
import type { KeyboardEvent } from 'react';
import { useServices } from '../../app/services';
import { useT } from '../../i18n/i18n';
import { isPhoneQuery, mayWriteCustomers } from '../../realtime/contract';
import type { ContactMatch, Organisation, RoleName } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';

/** How long typing must pause before the lookup asks the server. */
export const LOOKUP_DEBOUNCE_MS = 250;
/** Characters a name query needs (a phone query needs 3 digits). */
const MIN_NAME_CHARS = 1;

function isLookable(q: string): boolean {
  const trimmed = q.trim();
  if (trimmed === '') return false;
  if (/^[\d\s+()\-.]+$/.test(trimmed)) return isPhoneQuery(trimmed);
  return trimmed.length >= MIN_NAME_CHARS;
}

/**
 * Finds the caller as the agent types a phone number or a name (debounced, `GET
 * /api/contacts?q=`), lists contacts with their organisation, and offers "New contact" inline.
 * Keyboard: ↑/↓ move through the list, Enter picks, Esc closes the list. The picked contact is
 * shown as a card with "Change". `query` is kept by the caller (the dialog's draft), so what
 * was typed is never lost: with no contact picked it goes to the ticket as free text.
 */
export function CallerLookup({
  query,
  onQueryChange,
  selected,
  onSelect,
}: {
  query: string;
  onQueryChange(q: string): void;
  selected: ContactMatch | null;
  onSelect(contact: ContactMatch | null): void;
}) {
  const t = useT();
  const { api, store } = useServices();
  const token = useAppStore((state) => state.session?.token ?? null);
  const roles = useAppStore((state) => state.session?.user.roles ?? []) as RoleName[];
  const mayCreate = mayWriteCustomers(roles);
  const [results, setResults] = useState<ContactMatch[]>([]);
  const [searching, setSearching] = useState(false);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [creating, setCreating] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId();

  useEffect(() => {
    if (!token || selected || !isLookable(query)) {
      setResults([]);
      setSearching(false);
      return;
    }
    const abort = new AbortController();
    setSearching(true);
    const timer = window.setTimeout(() => {
      api
        .lookupContacts(token, query.trim(), abort.signal)
        .then((list) => {
          if (abort.signal.aborted) return;
          store.getState().rememberContacts(list);
          setResults(list);
          setActive(0);
          setSearching(false);
        })
        .catch(() => {
          if (!abort.signal.aborted) setSearching(false);
        });
    }, LOOKUP_DEBOUNCE_MS);
    return () => {
      abort.abort();
      window.clearTimeout(timer);
    };
  }, [api, query, selected, store, token]);

  // The options: every match, then "New contact" when the agent may create one.
  const count = results.length + (mayCreate ? 1 : 0);
  const showList = open && !selected && !creating && query.trim() !== '';

  const pick = (index: number): void => {
    if (index < results.length) {
      const contact = results[index];
      if (!contact) return;
      onSelect(contact);
      setOpen(false);
    } else if (mayCreate) {
      setCreating(true);
      setOpen(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown' && count > 0) {
      e.preventDefault();
      setOpen(true);
      setActive((i) => (showList ? (i + 1) % count : 0));
    } else if (e.key === 'ArrowUp' && count > 0) {
      e.preventDefault();
      setOpen(true);
      setActive((i) => (i - 1 + count) % count);
    } else if (e.key === 'Enter' && showList && count > 0) {
      // Enter picks; it never submits the ticket from inside the list.
      e.preventDefault();
      pick(active);
    } else if (e.key === 'Escape' && showList) {
      e.stopPropagation();
      setOpen(false);
    }
  };

  if (selected) {
    return (
      <div className="caller caller--picked" data-testid="caller-picked">
        <div className="caller__card">
          <strong>{selected.name}</strong>
          {selected.phone && <span> · {selected.phone}</span>}
          {selected.email && <span> · {selected.email}</span>}
          <div className="caller__org">
            {selected.organisation ? selected.organisation.name : t('caller.noOrganisation')}
          </div>
        </div>
        <button
          type="button"
          className="button button--quiet"
          onClick={() => {
            onSelect(null);
            window.setTimeout(() => inputRef.current?.focus(), 0);
          }}
        >
          {t('caller.change')}
        </button>
      </div>
    );
  }

  const optionId = (i: number): string => `${listId}-option-${i}`;
  return (
    <div className="caller">
      <label className="field">
        <span className="field__label">{t('caller.label')}</span>
        <input
          ref={inputRef}
          role="combobox"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={showList && count > 0 ? optionId(active) : undefined}
          placeholder={t('caller.placeholder')}
          maxLength={100}
          value={query}
          onChange={(e) => {
            onQueryChange(e.target.value);
            setOpen(true);
            setCreating(false);
          }}
          onFocus={() => setOpen(true)}
          onKeyDown={onKeyDown}
        />
      </label>
      <p className="visually-hidden" role="status" aria-live="polite">
        {showList && !searching ? t('caller.results', { count: results.length }) : ''}
      </p>
      {showList && (
        <ul className="caller__list" role="listbox" id={listId} aria-label={t('caller.label')}>
          {searching && results.length === 0 && (
            <li className="caller__note" role="presentation">
              {t('caller.searching')}
            </li>
          )}
          {!searching && results.length === 0 && (
            <li className="caller__note" role="presentation">
              {t('caller.none')}
            </li>
          )}
          {results.map((c, i) => (
            <li
              key={c.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'caller__option caller__option--active' : 'caller__option'}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(i);
              }}
            >
              <strong>{c.name}</strong>
              {c.phone && <span className="caller__phone"> {c.phone}</span>}
              <span className="caller__org">
                {' '}
                · {c.organisation ? c.organisation.name : t('caller.noOrganisation')}
              </span>
            </li>
          ))}
          {mayCreate && (
            <li
              id={optionId(results.length)}
              role="option"
              aria-selected={active === results.length}
              className={
                active === results.length
                  ? 'caller__option caller__option--active caller__new'
                  : 'caller__option caller__new'
              }
              onMouseDown={(e) => {
                e.preventDefault();
                pick(results.length);
              }}
            >
              {t('caller.newContactFor', { query: query.trim() })}
            </li>
          )}
        </ul>
      )}
      {creating && (
        <NewContactForm
          query={query.trim()}
          onCancel={() => {
            setCreating(false);
            inputRef.current?.focus();
          }}
          onCreated={(contact) => {
            setCreating(false);
            store.getState().rememberContacts([contact]);
            onSelect(contact);
          }}
        />
      )}
    </div>
  );
}

/**
 * A new contact, inline in the create dialog (no nested form: Enter saves the contact, not the
 * ticket). The typed query fills the phone when it reads as one, else the name.
 */
function NewContactForm({
  query,
  onCancel,
  onCreated,
}: {
  query: string;
  onCancel(): void;
  onCreated(contact: ContactMatch): void;
}) {
  const t = useT();
  const { api } = useServices();
  const token = useAppStore((state) => state.session?.token ?? null);
  const phoneLike = isPhoneQuery(query);
  const [name, setName] = useState(phoneLike ? '' : query);
  const [phone, setPhone] = useState(phoneLike ? query : '');
  const [email, setEmail] = useState('');
  const [organisationId, setOrganisationId] = useState('');
  const [organisations, setOrganisations] = useState<Organisation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const phoneRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    (phoneLike ? nameRef : phoneRef).current?.focus();
  }, [phoneLike]);

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    void api.listOrganisations(token).then((list) => {
      if (!cancelled) setOrganisations(list);
    });
    return () => {
      cancelled = true;
    };
  }, [api, token]);

  const save = async (): Promise<void> => {
    if (!token || !name.trim() || busy) return;
    setBusy(true);
    setError(null);
    const result = await api.createContact(token, {
      name: name.trim(),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      ...(email.trim() ? { email: email.trim() } : {}),
      organisationId: organisationId || null,
    });
    setBusy(false);
    if (result.ok) onCreated(result.value);
    else {
      const field = result.fields[0];
      setError(field ? `${field.path}: ${field.message}` : result.message);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    if (e.key === 'Enter' && !(e.target instanceof HTMLTextAreaElement)) {
      e.preventDefault();
      void save();
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      onCancel();
    }
  };

  return (
    <div
      className="caller__new-form"
      role="group"
      aria-label={t('caller.newContact')}
      onKeyDown={onKeyDown}
    >
      {error && (
        <p className="banner banner--error" role="alert">
          {t('contact.saveFailed', { message: error })}
        </p>
      )}
      <div className="field-row">
        <label className="field">
          <span className="field__label">{t('contact.name')}</span>
          <input
            ref={nameRef}
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field__label">{t('contact.phone')}</span>
          <input
            ref={phoneRef}
            maxLength={50}
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field__label">{t('contact.email')}</span>
          <input
            type="email"
            maxLength={254}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field__label">{t('contact.organisation')}</span>
          <select value={organisationId} onChange={(e) => setOrganisationId(e.target.value)}>
            <option value="">{t('caller.noOrganisation')}</option>
            {organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="dialog__buttons">
        <button
          type="button"
          className="button button--primary"
          disabled={busy || !name.trim()}
          onClick={() => void save()}
        >
          {t('contact.save')}
        </button>
        <button type="button" className="button button--quiet" onClick={onCancel}>
          {t('action.cancel')}
        </button>
      </div>
    </div>
  );
}
