/**
 * Customer access (decision 52): signed per-ticket links (`ddl_` and 32 random bytes, stored as
 * their SHA-256, expiring, revocable, one ticket for one contact) and customer accounts'
 * sessions (`ddp_`). Neither is a staff session: `requireAuth` and the staff socket never
 * accept them, and only the portal's routes read them (`requirePortal`). What a portal caller
 * may do is the `customer` actor's: the bus's `checkCustomerCommand` and `decide`'s scope.
 */
import {
  CUSTOMER_ACTOR_PREFIX,
  type Actor,
  type CustomerScope,
  type LocaleName,
  type UserId,
} from '@dutydesk/shared';
import type { Request, RequestHandler, Response } from 'express';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import { bearerToken } from '../../http/auth';
import { HttpError } from '../../http/errors';
import { readContact } from '../customers';
import {
  findPortalLinkByHash,
  findPortalSession,
  insertPortalLink,
  insertPortalSession,
  readPortalAccount,
  type PortalLinkRecord,
} from './portal.repo';

/** Days a signed link lives unless the desk says otherwise. */
export const PORTAL_LINK_DAYS = 30;
/** Hours a customer account's session lives. */
export const PORTAL_SESSION_HOURS = 12;
const LINK_PREFIX = 'ddl_';
const SESSION_PREFIX = 'ddp_';
const DAY_MS = 86_400_000;

export function hashPortalToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Why a portal token was refused: the page and the API say which, never more. */
export type PortalRefusal = 'missing' | 'invalid' | 'expired' | 'revoked' | 'disabled';

const REFUSALS: Record<PortalRefusal, { status: 401 | 403; message: string }> = {
  missing: { status: 401, message: 'Open the link the desk sent you, or sign in.' },
  invalid: { status: 401, message: 'This link is not valid. Ask the desk for a new one.' },
  expired: { status: 401, message: 'This link has expired. Ask the desk for a new one.' },
  revoked: { status: 403, message: 'This link was withdrawn by the desk.' },
  disabled: { status: 403, message: 'This account is disabled. Contact the desk.' },
};

/** The 401/403 of a refused portal token, with its reason in the field error (`token`). */
export function portalRefusal(reason: PortalRefusal): HttpError {
  const r = REFUSALS[reason];
  return new HttpError(r.status === 401 ? 'unauthorized' : 'forbidden', r.message, [
    { path: 'token', message: reason },
  ]);
}

/** Who is on the portal: a link's or an account's contact, as a `customer` actor. */
export interface PortalCaller {
  kind: 'link' | 'account';
  actor: Actor & { customer: CustomerScope };
  contactName: string;
  organisationName: string | null;
  locale: LocaleName | null;
  expiresAt: Date;
  /** The session's token hash (accounts), for sign-out. */
  sessionHash: string | null;
}

const LOCALES: readonly string[] = ['zh-CN', 'en', 'ja', 'ko'];

/** Mints a signed link to a ticket for a contact; the token is returned once. */
export async function mintPortalLink(
  ctx: AppContext,
  input: { ticketId: string; contactId: string; days?: number; createdBy: string | null },
): Promise<{ record: PortalLinkRecord; token: string }> {
  const now = ctx.clock.now();
  const token = `${LINK_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record: PortalLinkRecord = {
    id: randomUUID(),
    ticketId: input.ticketId,
    contactId: input.contactId,
    createdBy: input.createdBy,
    createdAt: now,
    expiresAt: new Date(now.getTime() + (input.days ?? PORTAL_LINK_DAYS) * DAY_MS),
    revokedAt: null,
  };
  await insertPortalLink(ctx.database.db, { ...record, tokenHash: hashPortalToken(token) });
  return { record, token };
}

/** Opens a session for a customer account; the token is returned once. */
export async function openPortalSession(
  ctx: AppContext,
  accountId: string,
): Promise<{ token: string; expiresAt: Date }> {
  const now = ctx.clock.now();
  const token = `${SESSION_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + PORTAL_SESSION_HOURS * 3_600_000);
  await insertPortalSession(ctx.database.db, {
    tokenHash: hashPortalToken(token),
    accountId,
    createdAt: now,
    expiresAt,
  });
  return { token, expiresAt };
}

async function callerOf(
  ctx: AppContext,
  kind: PortalCaller['kind'],
  contactId: string,
  scope: { ticketId: string | null; organisationWide: boolean },
  expiresAt: Date,
  sessionHash: string | null,
): Promise<PortalCaller | PortalRefusal> {
  const contact = await readContact(ctx.database.db, contactId);
  if (!contact) return 'invalid';
  const locale = contact.preferredLanguage;
  return {
    kind,
    actor: {
      id: `${CUSTOMER_ACTOR_PREFIX}${contact.id}` as UserId,
      roles: ['customer'],
      groupIds: [],
      displayName: contact.name,
      customer: {
        contactId: contact.id,
        organisationId: contact.organisationId,
        ticketId: scope.ticketId,
        organisationWide: scope.organisationWide && contact.organisationId !== null,
      },
    },
    contactName: contact.name,
    organisationName: contact.organisation?.name ?? null,
    locale: locale && LOCALES.includes(locale) ? (locale as LocaleName) : null,
    expiresAt,
    sessionHash,
  };
}

/** The caller of a portal token (a signed link's or an account session's), or why not. */
export async function authenticatePortal(
  ctx: AppContext,
  token: string | null,
): Promise<PortalCaller | PortalRefusal> {
  if (!token) return 'missing';
  if (token.length > 200) return 'invalid';
  const now = ctx.clock.now();
  const hash = hashPortalToken(token);
  if (token.startsWith(LINK_PREFIX)) {
    const link = await findPortalLinkByHash(ctx.database.db, hash);
    if (!link) return 'invalid';
    if (link.revokedAt) return 'revoked';
    if (link.expiresAt.getTime() <= now.getTime()) return 'expired';
    return callerOf(
      ctx,
      'link',
      link.contactId,
      { ticketId: link.ticketId, organisationWide: false },
      link.expiresAt,
      null,
    );
  }
  if (token.startsWith(SESSION_PREFIX)) {
    const session = await findPortalSession(ctx.database.db, hash, now);
    if (!session) return 'expired';
    const account = await readPortalAccount(ctx.database.db, session.accountId);
    if (!account) return 'invalid';
    if (account.disabledAt) return 'disabled';
    return callerOf(
      ctx,
      'account',
      account.contactId,
      { ticketId: null, organisationWide: account.organisationWide },
      session.expiresAt,
      hash,
    );
  }
  return 'invalid';
}

/** The portal token of a request: `Authorization: Bearer …`. */
export function portalToken(req: Request): string | null {
  return bearerToken(req);
}

/** 401/403 unless the request carries a live portal token; the caller on `res.locals.portal`. */
export function requirePortal(ctx: AppContext): RequestHandler {
  return async (req, res, next) => {
    const caller = await authenticatePortal(ctx, portalToken(req));
    if (typeof caller === 'string') {
      next(portalRefusal(caller));
      return;
    }
    res.locals.portal = caller;
    next();
  };
}

/** The caller of a request that passed `requirePortal`. */
export function portalCallerOf(res: Response): PortalCaller {
  const caller = res.locals.portal as PortalCaller | undefined;
  if (!caller) throw portalRefusal('missing');
  return caller;
}
