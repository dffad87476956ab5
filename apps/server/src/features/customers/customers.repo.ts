import {
  asContactId,
  asOrganisationId,
  asUserId,
  isPhoneQuery,
  normaliseName,
  normalisePhone,
  type ContactMatch,
  type CustomerContact,
  type Organisation,
  type OrganisationStatus,
  type Ticket,
} from '@dutydesk/shared';
import { and, asc, count, desc, eq, gte, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { contacts, customerBackfills, organisations, tickets, users } from '../../db/schema/index';

type OrganisationRow = typeof organisations.$inferSelect;
type ContactRow = typeof contacts.$inferSelect;

/** An organisations row as the shared record. */
export function toOrganisation(r: OrganisationRow): Organisation {
  return {
    id: asOrganisationId(r.id),
    name: r.name,
    businessType: r.businessType,
    contract: r.contract,
    slaPolicyId: r.slaPolicyId,
    coreNeeds: r.coreNeeds,
    specialConcerns: r.specialConcerns,
    serviceManagerId: r.serviceManagerId ? asUserId(r.serviceManagerId) : null,
    status: r.status as OrganisationStatus,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** A contacts row as the shared record. */
export function toContact(r: ContactRow): CustomerContact {
  return {
    id: asContactId(r.id),
    organisationId: r.organisationId ? asOrganisationId(r.organisationId) : null,
    name: r.name,
    phone: r.phone,
    phoneDigits: r.phoneDigits,
    email: r.email,
    role: r.role,
    preferredLanguage: r.preferredLanguage,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function organisationValues(o: Organisation) {
  return {
    name: o.name,
    nameKey: normaliseName(o.name),
    businessType: o.businessType,
    contract: o.contract,
    slaPolicyId: o.slaPolicyId,
    coreNeeds: o.coreNeeds,
    specialConcerns: o.specialConcerns,
    serviceManagerId: o.serviceManagerId,
    status: o.status,
    version: o.version,
    createdAt: new Date(o.createdAt),
    updatedAt: new Date(o.updatedAt),
  };
}

function contactValues(c: CustomerContact) {
  return {
    organisationId: c.organisationId,
    name: c.name,
    nameKey: normaliseName(c.name),
    phone: c.phone,
    phoneDigits: normalisePhone(c.phone),
    email: c.email,
    role: c.role,
    preferredLanguage: c.preferredLanguage,
    version: c.version,
    createdAt: new Date(c.createdAt),
    updatedAt: new Date(c.updatedAt),
  };
}

/** Inserts or replaces an organisation row from its record. */
export async function saveOrganisation(tx: Tx, o: Organisation): Promise<void> {
  const values = organisationValues(o);
  await tx
    .insert(organisations)
    .values({ id: o.id, ...values })
    .onConflictDoUpdate({ target: organisations.id, set: values });
}

/** Inserts or replaces a contact row from its record. */
export async function saveContact(tx: Tx, c: CustomerContact): Promise<void> {
  const values = contactValues(c);
  await tx
    .insert(contacts)
    .values({ id: c.id, ...values })
    .onConflictDoUpdate({ target: contacts.id, set: values });
}

export async function deleteOrganisationRow(tx: Tx, id: string): Promise<void> {
  await tx.delete(organisations).where(eq(organisations.id, id));
}

export async function deleteContactRow(tx: Tx, id: string): Promise<void> {
  await tx.delete(contacts).where(eq(contacts.id, id));
}

/**
 * An organisation, locked in the caller's transaction: `update` for a change, `share` while a
 * ticket links to it (a delete waits), or null.
 */
export async function lockOrganisation(
  tx: Tx,
  id: string,
  mode: 'update' | 'share',
): Promise<Organisation | null> {
  const [row] = await tx.select().from(organisations).where(eq(organisations.id, id)).for(mode);
  return row ? toOrganisation(row) : null;
}

/** A contact, locked like {@link lockOrganisation}, or null. */
export async function lockContact(
  tx: Tx,
  id: string,
  mode: 'update' | 'share',
): Promise<CustomerContact | null> {
  const [row] = await tx.select().from(contacts).where(eq(contacts.id, id)).for(mode);
  return row ? toContact(row) : null;
}

export async function readOrganisation(db: Db | Tx, id: string): Promise<Organisation | null> {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, id));
  return row ? toOrganisation(row) : null;
}

export async function readContact(db: Db | Tx, id: string): Promise<ContactMatch | null> {
  const rows = await selectContactMatches(db, eq(contacts.id, id), [], 1);
  return rows[0] ?? null;
}

/** The organisation holding this normalised name (another than `exceptId`), or null. */
export async function findOrganisationByName(
  db: Db | Tx,
  name: string,
  exceptId?: string,
): Promise<Organisation | null> {
  const where = exceptId
    ? and(eq(organisations.nameKey, normaliseName(name)), sql`${organisations.id} <> ${exceptId}`)
    : eq(organisations.nameKey, normaliseName(name));
  const [row] = await db.select().from(organisations).where(where).limit(1);
  return row ? toOrganisation(row) : null;
}

/** A `like` pattern's text with its wildcards taken literally. */
function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

async function selectContactMatches(
  db: Db | Tx,
  where: SQL | undefined,
  order: SQL[],
  limit: number,
): Promise<ContactMatch[]> {
  const rows = await db
    .select({
      contact: contacts,
      orgId: organisations.id,
      orgName: organisations.name,
      orgStatus: organisations.status,
    })
    .from(contacts)
    .leftJoin(organisations, eq(organisations.id, contacts.organisationId))
    .where(where)
    .orderBy(...order, asc(contacts.nameKey), asc(contacts.id))
    .limit(limit);
  return rows.map((r) => ({
    ...toContact(r.contact),
    organisation:
      r.orgId && r.orgName
        ? {
            id: asOrganisationId(r.orgId),
            name: r.orgName,
            status: (r.orgStatus ?? 'active') as OrganisationStatus,
          }
        : null,
  }));
}

/**
 * The lookup behind the create dialog (`GET /api/contacts?q=`). A query that reads as a phone
 * number matches the digits as a prefix or a suffix (a number stored with its country code is
 * found by its national digits), both index range scans; only when those fill less than the
 * page does a second query look for the digits anywhere in the number (a bounded scan: typing
 * the middle of a number is the rare case). Any other query matches the contact's name or its
 * organisation's name anywhere, prefix matches first (a bounded scan: Chinese names have no
 * word starts to index, and the search feature holds the full-text index).
 */
export async function lookupContacts(
  db: Db,
  f: { q?: string; organisationId?: string; limit: number },
): Promise<ContactMatch[]> {
  const scope: SQL[] = [];
  if (f.organisationId) scope.push(eq(contacts.organisationId, f.organisationId));
  const q = f.q?.trim() ?? '';
  if (q !== '' && isPhoneQuery(q)) {
    const digits = normalisePhone(q) ?? '';
    const reversed = [...digits].reverse().join('');
    const ends = sql`(${contacts.phoneDigits} like ${`${escapeLike(digits)}%`} escape '\\' or reverse(${contacts.phoneDigits}) like ${`${escapeLike(reversed)}%`} escape '\\')`;
    const found = await selectContactMatches(
      db,
      and(...scope, ends),
      [sql`(${contacts.phoneDigits} = ${digits}) desc`],
      f.limit,
    );
    if (found.length >= f.limit || digits.length < 4) return found;
    const inside = await selectContactMatches(
      db,
      and(
        ...scope,
        sql`${contacts.phoneDigits} like ${`%${escapeLike(digits)}%`} escape '\\'`,
        sql`not ${ends}`,
      ),
      [],
      f.limit - found.length,
    );
    return [...found, ...inside];
  }
  const order: SQL[] = [];
  if (q !== '') {
    const key = escapeLike(normaliseName(q));
    const match = or(
      sql`${contacts.nameKey} like ${`%${key}%`} escape '\\'`,
      sql`${organisations.nameKey} like ${`%${key}%`} escape '\\'`,
      sql`lower(${contacts.email}) like ${`${key}%`} escape '\\'`,
    );
    if (match) scope.push(match);
    order.push(
      sql`(${contacts.nameKey} like ${`${key}%`} escape '\\') desc`,
      sql`(${organisations.nameKey} like ${`${key}%`} escape '\\') desc`,
    );
  }
  return selectContactMatches(db, scope.length ? and(...scope) : undefined, order, f.limit);
}

/** Organisations by name (prefix matches first, then anywhere) and status. */
export async function listOrganisations(
  db: Db,
  f: { q?: string; status?: OrganisationStatus; limit: number },
): Promise<Organisation[]> {
  const where: SQL[] = [];
  const order: SQL[] = [];
  if (f.status) where.push(eq(organisations.status, f.status));
  const q = f.q?.trim() ?? '';
  if (q !== '') {
    const key = escapeLike(normaliseName(q));
    where.push(sql`${organisations.nameKey} like ${`%${key}%`} escape '\\'`);
    order.push(sql`(${organisations.nameKey} like ${`${key}%`} escape '\\') desc`);
  }
  const rows = await db
    .select()
    .from(organisations)
    .where(where.length ? and(...where) : undefined)
    .orderBy(...order, asc(organisations.nameKey))
    .limit(f.limit);
  return rows.map(toOrganisation);
}

export async function listContactsOf(db: Db, organisationId: string): Promise<CustomerContact[]> {
  const rows = await db
    .select()
    .from(contacts)
    .where(eq(contacts.organisationId, organisationId))
    .orderBy(asc(contacts.nameKey))
    .limit(1000);
  return rows.map(toContact);
}

/** How many contacts and tickets refer to an organisation (a delete needs none). */
export async function countOrganisationReferences(
  tx: Tx,
  id: string,
): Promise<{ contacts: number; tickets: number }> {
  const [c] = await tx.select({ n: count() }).from(contacts).where(eq(contacts.organisationId, id));
  const [t] = await tx.select({ n: count() }).from(tickets).where(eq(tickets.organisationId, id));
  return { contacts: Number(c?.n ?? 0), tickets: Number(t?.n ?? 0) };
}

/** How many tickets refer to a contact. */
export async function countContactTickets(tx: Tx, id: string): Promise<number> {
  const [t] = await tx.select({ n: count() }).from(tickets).where(eq(tickets.contactId, id));
  return Number(t?.n ?? 0);
}

/** Whether a user may be a service manager: exists, enabled, and works at the desk. */
export async function checkServiceManager(db: Db | Tx, id: string): Promise<string | null> {
  const [u] = await db
    .select({ disabled: users.disabled, roles: users.roles })
    .from(users)
    .where(eq(users.id, id));
  if (!u || u.disabled) return `no active user "${id}"`;
  if (!u.roles.some((r) => ['agent', 'engineer', 'duty_manager', 'admin'].includes(r)))
    return `"${id}" is not staff`;
  return null;
}

/** An organisation's tickets: the open ones, or its history (closed, latest first). */
export async function listOrganisationTickets(
  db: Db,
  organisationId: string,
  f: { open: boolean; limit: number },
): Promise<Ticket[]> {
  const rows = await db
    .select({ state: tickets.state })
    .from(tickets)
    .where(and(eq(tickets.organisationId, organisationId), eq(tickets.open, f.open)))
    .orderBy(
      ...(f.open
        ? [asc(tickets.priority), asc(tickets.receivedAt)]
        : [desc(tickets.updatedAt), desc(tickets.id)]),
    )
    .limit(f.limit);
  return rows.map((r) => r.state as Ticket);
}

/**
 * An organisation's tickets whose SLA targets may have been decided since `since`: the open
 * ones and those changed since (a closed ticket's targets were decided before it closed).
 */
export async function listOrganisationTicketsSince(
  db: Db,
  organisationId: string,
  since: Date,
): Promise<Ticket[]> {
  const rows = await db
    .select({ state: tickets.state })
    .from(tickets)
    .where(
      and(
        eq(tickets.organisationId, organisationId),
        or(eq(tickets.open, true), gte(tickets.updatedAt, since)),
      ),
    )
    .limit(10_000);
  return rows.map((r) => r.state as Ticket);
}

// ---- The one-off move of free-text customers (backfill.ts) ----

/** The backfill's row locked for this transaction, or null when it is done (or absent). */
export async function lockBackfill(tx: Tx, id: string): Promise<{ cursor: string } | null> {
  const [row] = await tx
    .select({ cursor: customerBackfills.cursor, doneAt: customerBackfills.doneAt })
    .from(customerBackfills)
    .where(eq(customerBackfills.id, id))
    .for('update');
  return row && row.doneAt === null ? { cursor: row.cursor } : null;
}

/** Whether the backfill still has work (a read without a lock, to skip it cheaply). */
export async function isBackfillDue(db: Db, id: string): Promise<boolean> {
  const [row] = await db
    .select({ doneAt: customerBackfills.doneAt })
    .from(customerBackfills)
    .where(eq(customerBackfills.id, id));
  return row !== undefined && row.doneAt === null;
}

export async function advanceBackfill(
  tx: Tx,
  id: string,
  cursor: string,
  doneAt: Date | null,
): Promise<void> {
  await tx.update(customerBackfills).set({ cursor, doneAt }).where(eq(customerBackfills.id, id));
}

/**
 * Unlinked tickets after `cursor` in the order they were received (then id), locked for the
 * backfill's transaction: the earliest ticket to name a customer gives the record its spelling.
 * The cursor is `<receivedAt ISO> <id>` of the last ticket done ('' before the first).
 */
export async function lockUnlinkedTickets(
  tx: Tx,
  cursor: string,
  limit: number,
): Promise<Ticket[]> {
  const [at, id] = cursor === '' ? [null, null] : cursor.split(' ');
  const rows = await tx
    .select({ state: tickets.state })
    .from(tickets)
    .where(
      and(
        at && id
          ? sql`(${tickets.receivedAt}, ${tickets.id}) > (${at}::timestamptz, ${id})`
          : undefined,
        sql`${tickets.organisationId} is null`,
        sql`${tickets.contactId} is null`,
      ),
    )
    .orderBy(asc(tickets.receivedAt), asc(tickets.id))
    .limit(limit)
    .for('update');
  return rows.map((r) => r.state as Ticket);
}

/** The backfill cursor just past this ticket. */
export function cursorAfter(t: Ticket): string {
  return `${new Date(t.receivedAt).toISOString()} ${t.id}`;
}

/** The contact the backfill de-duplicates against: same phone digits, else same name in the organisation, else same e-mail. */
export async function findContactForBackfill(
  tx: Tx,
  f: {
    phoneDigits: string | null;
    nameKey: string | null;
    organisationId: string | null;
    email: string | null;
  },
): Promise<CustomerContact | null> {
  let where: SQL | undefined;
  if (f.phoneDigits) where = eq(contacts.phoneDigits, f.phoneDigits);
  else if (f.nameKey)
    where = and(
      eq(contacts.nameKey, f.nameKey),
      f.organisationId
        ? eq(contacts.organisationId, f.organisationId)
        : sql`${contacts.organisationId} is null`,
    );
  else if (f.email) where = sql`lower(${contacts.email}) = ${f.email.toLowerCase()}`;
  if (!where) return null;
  const [row] = await tx
    .select()
    .from(contacts)
    .where(where)
    .orderBy(asc(contacts.createdAt))
    .limit(1);
  return row ? toContact(row) : null;
}

/**
 * The contact with this e-mail address (compared without case), the oldest when several share
 * it; null when none. The one e-mail lookup: the e-mail intake's sender, a chat visitor's
 * address (through {@link findContactByPhoneOrEmail}).
 */
export async function findContactByEmail(
  db: Db | Tx,
  email: string,
): Promise<CustomerContact | null> {
  const [row] = await db
    .select()
    .from(contacts)
    .where(sql`lower(${contacts.email}) = ${email.trim().toLowerCase()}`)
    .orderBy(asc(contacts.createdAt), asc(contacts.id))
    .limit(1);
  return row ? toContact(row) : null;
}

/**
 * The contact an inbound call or chat comes from (the intake doors, issue 19): the phone's
 * best lookup match (the same ranking the create dialog shows), else {@link findContactByEmail}.
 */
export async function findContactByPhoneOrEmail(
  db: Db,
  q: { phone?: string; email?: string },
): Promise<{ contactId: string; organisationId: string | null } | null> {
  if (q.phone && normalisePhone(q.phone)) {
    const [hit] = await lookupContacts(db, { q: q.phone, limit: 1 });
    if (hit) return { contactId: hit.id, organisationId: hit.organisationId ?? null };
  }
  if (q.email) {
    const c = await findContactByEmail(db, q.email);
    if (c) return { contactId: c.id, organisationId: c.organisationId ?? null };
  }
  return null;
}
