/** The portal's queries: signed links, customer accounts and their sessions (decision 52). */
import { and, desc, eq, gt, isNull, lte, or } from 'drizzle-orm';
import type { Ticket } from '@dutydesk/shared';
import type { Db } from '../../db/client';
import { portalAccounts, portalLinks, portalSessions, tickets } from '../../db/schema/index';

export interface PortalLinkRecord {
  id: string;
  ticketId: string;
  contactId: string;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

const linkColumns = {
  id: portalLinks.id,
  ticketId: portalLinks.ticketId,
  contactId: portalLinks.contactId,
  createdBy: portalLinks.createdBy,
  createdAt: portalLinks.createdAt,
  expiresAt: portalLinks.expiresAt,
  revokedAt: portalLinks.revokedAt,
};

export async function insertPortalLink(
  db: Db,
  r: PortalLinkRecord & { tokenHash: string },
): Promise<void> {
  await db.insert(portalLinks).values(r);
}

export async function findPortalLinkByHash(
  db: Db,
  tokenHash: string,
): Promise<PortalLinkRecord | null> {
  const [row] = await db
    .select(linkColumns)
    .from(portalLinks)
    .where(eq(portalLinks.tokenHash, tokenHash));
  return row ?? null;
}

export async function listPortalLinks(db: Db, ticketId: string): Promise<PortalLinkRecord[]> {
  return db
    .select(linkColumns)
    .from(portalLinks)
    .where(eq(portalLinks.ticketId, ticketId))
    .orderBy(desc(portalLinks.createdAt))
    .limit(200);
}

/** Revokes a link; false when there is none or it was revoked already. */
export async function revokePortalLink(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(portalLinks)
    .set({ revokedAt: now })
    .where(and(eq(portalLinks.id, id), isNull(portalLinks.revokedAt)))
    .returning({ id: portalLinks.id });
  return rows.length > 0;
}

export interface PortalAccountRecord {
  id: string;
  contactId: string;
  login: string;
  organisationWide: boolean;
  createdBy: string | null;
  createdAt: Date;
  disabledAt: Date | null;
}

const accountColumns = {
  id: portalAccounts.id,
  contactId: portalAccounts.contactId,
  login: portalAccounts.login,
  organisationWide: portalAccounts.organisationWide,
  createdBy: portalAccounts.createdBy,
  createdAt: portalAccounts.createdAt,
  disabledAt: portalAccounts.disabledAt,
};

/** Inserts an account; false when the login or the contact already has one. */
export async function insertPortalAccount(
  db: Db,
  r: PortalAccountRecord & { passwordHash: string },
): Promise<boolean> {
  const rows = await db
    .insert(portalAccounts)
    .values(r)
    .onConflictDoNothing()
    .returning({ id: portalAccounts.id });
  return rows.length > 0;
}

export async function findPortalAccountByLogin(
  db: Db,
  login: string,
): Promise<(PortalAccountRecord & { passwordHash: string }) | null> {
  const [row] = await db
    .select({ ...accountColumns, passwordHash: portalAccounts.passwordHash })
    .from(portalAccounts)
    .where(eq(portalAccounts.login, login));
  return row ?? null;
}

export async function readPortalAccount(db: Db, id: string): Promise<PortalAccountRecord | null> {
  const [row] = await db
    .select(accountColumns)
    .from(portalAccounts)
    .where(eq(portalAccounts.id, id));
  return row ?? null;
}

export async function listPortalAccounts(db: Db): Promise<PortalAccountRecord[]> {
  return db
    .select(accountColumns)
    .from(portalAccounts)
    .orderBy(portalAccounts.createdAt)
    .limit(5000);
}

/** Disables an account and ends its sessions; false when there is none (or it was disabled). */
export async function disablePortalAccount(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(portalAccounts)
    .set({ disabledAt: now })
    .where(and(eq(portalAccounts.id, id), isNull(portalAccounts.disabledAt)))
    .returning({ id: portalAccounts.id });
  await db.delete(portalSessions).where(eq(portalSessions.accountId, id));
  return rows.length > 0;
}

export async function insertPortalSession(
  db: Db,
  r: { tokenHash: string; accountId: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db.insert(portalSessions).values(r);
}

/** The live session of this token hash (expired ones are dropped on the way). */
export async function findPortalSession(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<{ accountId: string; expiresAt: Date } | null> {
  await db.delete(portalSessions).where(lte(portalSessions.expiresAt, now));
  const [row] = await db
    .select({ accountId: portalSessions.accountId, expiresAt: portalSessions.expiresAt })
    .from(portalSessions)
    .where(and(eq(portalSessions.tokenHash, tokenHash), gt(portalSessions.expiresAt, now)));
  return row ?? null;
}

export async function deletePortalSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(portalSessions).where(eq(portalSessions.tokenHash, tokenHash));
}

/** A contact's tickets, and its organisation's when `organisationId` is given (latest first). */
export async function listCustomerTickets(
  db: Db,
  contactId: string,
  organisationId: string | null,
  limit: number,
): Promise<Ticket[]> {
  const rows = await db
    .select({ state: tickets.state })
    .from(tickets)
    .where(
      organisationId
        ? or(eq(tickets.contactId, contactId), eq(tickets.organisationId, organisationId))
        : eq(tickets.contactId, contactId),
    )
    .orderBy(desc(tickets.updatedAt), desc(tickets.id))
    .limit(limit);
  return rows.map((r) => r.state as Ticket);
}
