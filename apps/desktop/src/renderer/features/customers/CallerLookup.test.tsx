import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../app/api';
import { localeStore } from '../../i18n/i18n';
import type { ContactMatch } from '../../realtime/contract';
import { createAppStore } from '../../store/appStore';
import { session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { CreateTicketDialog } from '../ticket/CreateTicketDialog';

const AT = '2026-03-02T02:00:00.000Z';

function contact(id: string, name: string, phone: string, org: string | null): ContactMatch {
  return {
    id,
    name,
    phone,
    phoneDigits: phone.replace(/\D/g, ''),
    email: null,
    role: null,
    preferredLanguage: null,
    organisationId: org ? `o-${org}` : null,
    organisation: org ? { id: `o-${org}`, name: org, status: 'active' } : null,
    version: 1,
    createdAt: AT,
    updatedAt: AT,
  } as ContactMatch;
}

const zhang = contact('c-zhang', '张伟', '+86 138-0013-8000', 'ACME Bank');
const wang = contact('c-wang', '王芳', '+86 138-0013-9999', 'ACME Bank');

function setup(roles: string[] = ['agent']) {
  localStorage.clear();
  const services = fakeServices({
    store: createAppStore({ session: { ...session, user: { ...session.user, roles } } }),
  });
  const lookupContacts = vi.fn((_token: string, q: string) =>
    Promise.resolve(q.replace(/\D/g, '').startsWith('138') ? [zhang, wang] : []),
  );
  const createContact = vi.fn((_token: string, body: { name: string; phone?: string }) =>
    Promise.resolve({
      ok: true as const,
      value: contact('c-new', body.name, body.phone ?? '', null),
    }),
  );
  Object.assign(services.api, { lookupContacts, createContact } satisfies Partial<Api>);
  const api = { lookupContacts, createContact };
  const onClose = vi.fn();
  const user = userEvent.setup();
  renderWith(<CreateTicketDialog onClose={onClose} />, services);
  return { services, api, onClose, user };
}

/**
 * Types a query the way a fast typist does: each value in the same task, so no debounce pause
 * can fall between them (a timer never fires while synchronous code runs).
 */
function typeQuickly(box: HTMLElement, ...values: string[]): void {
  for (const value of values) fireEvent.change(box, { target: { value } });
}

/** Waits for the lookup's list (the debounce, then the answer), generously for a loaded machine. */
function findList(): Promise<HTMLElement> {
  return screen.findByRole('listbox', {}, { timeout: 10_000 });
}

describe('the create dialog finds the caller as the agent types', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it('asks the server once typing pauses, lists contacts with their organisation, Enter picks', async () => {
    const { api, user, services } = setup();
    const box = screen.getByRole('combobox', { name: 'Caller (phone or name)' });
    box.focus();
    typeQuickly(box, '1', '13', '138', '138 0', '138 00', '138 001', '138 0013');
    expect(api.lookupContacts).not.toHaveBeenCalled(); // still within the pause
    const list = await findList();
    await waitFor(() => expect(within(list).getAllByRole('option').length).toBe(3));
    // One request for the whole burst, with what was typed last.
    expect(api.lookupContacts).toHaveBeenCalledTimes(1);
    expect(api.lookupContacts.mock.calls[0]?.[1]).toBe('138 0013');
    const options = within(list).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual([
      '张伟 +86 138-0013-8000 · ACME Bank',
      '王芳 +86 138-0013-9999 · ACME Bank',
      'New contact “138 0013”',
    ]);
    expect(options[0]?.getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{ArrowDown}');
    expect(box.getAttribute('aria-activedescendant')).toBe(options[1]?.id);
    await user.keyboard('{ArrowUp}{Enter}');
    const card = screen.getByTestId('caller-picked');
    expect(card.textContent).toContain('张伟');
    expect(card.textContent).toContain('ACME Bank');

    await user.type(screen.getByLabelText('Title'), 'Core banking down');
    await user.click(screen.getByRole('button', { name: 'Create ticket' }));
    expect(services.bridge.sendCommand).toHaveBeenCalledWith(
      expect.objectContaining({
        type: 'ticket.create',
        contactId: 'c-zhang',
        organisationId: 'o-ACME Bank',
      }),
    );
    const sent = (services.bridge.sendCommand as ReturnType<typeof vi.fn>).mock.calls[0]?.[0];
    expect(sent).not.toHaveProperty('customer');
  });

  it('offers a new contact inline, the typed number filled in, saved with Enter', async () => {
    const { api, user, services, onClose } = setup();
    const box = screen.getByRole('combobox', { name: 'Caller (phone or name)' });
    box.focus();
    typeQuickly(box, '021 5555');
    const list = await findList();
    await waitFor(() => expect(screen.getByText('No contact found')).toBeTruthy());
    const options = within(list).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['New contact “021 5555”']);
    await user.keyboard('{Enter}');
    const form = screen.getByRole('group', { name: 'New contact' });
    expect((within(form).getByLabelText('Phone') as HTMLInputElement).value).toBe('021 5555');
    await user.type(within(form).getByLabelText('Name'), 'Li Na{Enter}');
    await screen.findByTestId('caller-picked', {}, { timeout: 10_000 });
    expect(api.createContact).toHaveBeenCalledWith('tok-1', {
      name: 'Li Na',
      phone: '021 5555',
      organisationId: null,
    });
    expect(screen.getByTestId('caller-picked').textContent).toContain('Li Na');
    // Enter saved the contact, not the ticket; the dialog is still open.
    expect(services.bridge.sendCommand).not.toHaveBeenCalled();
    expect(onClose).not.toHaveBeenCalled();
  });

  it('closes the list with Esc and keeps the dialog; sends the typed text when nobody is picked', async () => {
    const { user, services, onClose } = setup();
    const box = screen.getByRole('combobox', { name: 'Caller (phone or name)' });
    box.focus();
    typeQuickly(box, '13800138000');
    const list = await findList();
    await waitFor(() => expect(within(list).getAllByRole('option').length).toBe(3));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(onClose).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText('Title'), 'Printer jam');
    await user.click(screen.getByRole('button', { name: 'Create ticket' }));
    expect(services.bridge.sendCommand).toHaveBeenCalledWith(
      expect.objectContaining({ customer: { phone: '13800138000' } }),
    );
  });

  it('offers no new contact to an engineer, who may read customers but not write them', async () => {
    setup(['engineer']);
    const box = screen.getByRole('combobox', { name: 'Caller (phone or name)' });
    box.focus();
    typeQuickly(box, '138');
    const list = await findList();
    await waitFor(() => expect(within(list).getAllByRole('option').length).toBe(2));
    const options = within(list).getAllByRole('option');
    expect(options.map((o) => o.textContent?.split(' ')[0])).toEqual(['张伟', '王芳']);
  });
});
