/**
 * A ticket's link to its customer records, resolved in the ticket command's transaction: the
 * records exist (locked `for share`, so a delete waits for the link), the contact belongs to
 * the organisation, and what the link brings (the contract SLA policy, the records' names).
 */
import { makeError, type AppError, type CustomerLink } from '@dutydesk/shared';
import type { Tx } from '../../db/client';
import { lockContact, lockOrganisation } from './customers.repo';

/**
 * Resolves `organisationId` / `contactId` of a `ticket.create` or `ticket.customer.link`.
 * A contact alone links its organisation; both must agree. Null ids: no link (`link: null`).
 */
export async function resolveCustomerLink(
  tx: Tx,
  ids: { organisationId?: string | null; contactId?: string | null },
): Promise<{ ok: true; link: CustomerLink | null } | { ok: false; error: AppError }> {
  const contact = ids.contactId ? await lockContact(tx, ids.contactId, 'share') : null;
  if (ids.contactId && !contact)
    return {
      ok: false,
      error: makeError('invalid', `No contact ${ids.contactId}`, [
        { path: 'contactId', message: 'no such contact' },
      ]),
    };
  if (
    contact?.organisationId &&
    ids.organisationId &&
    contact.organisationId !== ids.organisationId
  )
    return {
      ok: false,
      error: makeError('invalid', `Contact ${contact.name} belongs to another organisation`, [
        { path: 'contactId', message: `belongs to organisation ${contact.organisationId}` },
      ]),
    };
  const orgId = ids.organisationId ?? contact?.organisationId ?? null;
  const org = orgId ? await lockOrganisation(tx, orgId, 'share') : null;
  if (orgId && !org)
    return {
      ok: false,
      error: makeError('invalid', `No organisation ${orgId}`, [
        { path: 'organisationId', message: 'no such organisation' },
      ]),
    };
  if (!org && !contact) return { ok: true, link: null };
  return {
    ok: true,
    link: {
      organisationId: org?.id ?? null,
      contactId: contact?.id ?? null,
      slaPolicyId: org?.slaPolicyId ?? null,
      customer: {
        org: org?.name ?? null,
        contact: contact?.name ?? null,
        phone: contact?.phone ?? null,
        email: contact?.email ?? null,
      },
    },
  };
}
