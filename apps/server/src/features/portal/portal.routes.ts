import {
  canActOnTicket,
  createPortalAccountRequestSchema,
  createPortalLinkRequestSchema,
  CUSTOMER_WRITE_ROLES,
  customerMaySee,
  isPublicAttachment,
  portalLoginRequestSchema,
  toPublicTicket,
  type PortalAccountView,
  type PortalLinkView,
  type PortalMe,
  type PortalTicketRow,
} from '@dutydesk/shared';
import { Router, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import { executeCommand } from '../../commands';
import { authOf, requireAuth, requireRole } from '../../http/auth';
import { parseBody } from '../../http/body';
import { HttpError } from '../../http/errors';
import { sendAttachment, type BlobStore } from '../attachments';
import {
  clearLoginAttempts,
  dummyHashPromise,
  hashPassword,
  rateLimited,
  reserveLoginAttempt,
  USER_BACKOFF,
  verifyPassword,
} from '../auth';
import { readContact } from '../customers';
import { actorFromUser, readTicket } from '../tickets';
import {
  mintPortalLink,
  openPortalSession,
  portalCallerOf,
  requirePortal,
  type PortalCaller,
} from './access';
import {
  deletePortalSession,
  disablePortalAccount,
  findPortalAccountByLogin,
  insertPortalAccount,
  listCustomerTickets,
  listPortalAccounts,
  listPortalLinks,
  revokePortalLink,
  type PortalAccountRecord,
  type PortalLinkRecord,
} from './portal.repo';

const STAFF = ['agent', 'engineer', 'duty_manager', 'admin'] as const;
/** Tickets a customer account lists at most. */
const LIST_LIMIT = 200;

function linkView(r: PortalLinkRecord): PortalLinkView {
  return {
    id: r.id,
    ticketId: r.ticketId,
    contactId: r.contactId,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
  };
}

function accountView(r: PortalAccountRecord): PortalAccountView {
  return {
    id: r.id,
    contactId: r.contactId,
    login: r.login,
    organisationWide: r.organisationWide,
    createdAt: r.createdAt.toISOString(),
    disabledAt: r.disabledAt?.toISOString() ?? null,
  };
}

/** A portal ticket link's URL (the page `/portal/tickets/:id` with the token). */
export function portalTicketUrl(baseUrl: string, ticketId: string, token: string): string {
  return `${baseUrl}/portal/tickets/${encodeURIComponent(ticketId)}?t=${encodeURIComponent(token)}`;
}

/** A ticket the caller may see, or a 404 (another ticket is as absent as a missing one). */
async function readVisibleTicket(ctx: AppContext, caller: PortalCaller, id: string) {
  const ticket = await readTicket(ctx.database.db, id);
  if (!ticket || !customerMaySee(caller.actor.customer, ticket)) {
    throw new HttpError('not_found', `No ticket ${id}`);
  }
  return ticket;
}

/**
 * The portal's API (decision 52). Staff: mint, list and revoke signed links; create, list and
 * disable customer accounts. Customers (`requirePortal`): sign in and out, who they are, their
 * tickets' public view, public attachments, and `POST /api/portal/commands`, the customer's
 * commands on the one bus (everything but the customer's commands is refused there).
 */
export function createPortalRouter(
  ctx: AppContext,
  deps: { baseUrl: () => string; store: BlobStore },
): Router {
  const r = Router();
  const auth = requireAuth(ctx);
  const portal = requirePortal(ctx);
  const db = ctx.database.db;

  r.post('/portal/links', auth, requireRole(...STAFF), async (req, res) => {
    const body = parseBody(createPortalLinkRequestSchema, req.body, 'portal link');
    const user = authOf(res).user;
    const ticket = await readTicket(db, body.ticketId);
    if (!ticket || !canActOnTicket(actorFromUser(user), ticket)) {
      if (!ticket || !user.roles.some((x) => x === 'agent'))
        throw new HttpError('not_found', `No ticket ${body.ticketId}`);
    }
    const contactId = body.contactId ?? ticket.contactId ?? null;
    if (!contactId) {
      throw new HttpError('invalid', 'The ticket has no contact: link one or give contactId', [
        { path: 'contactId', message: 'required when the ticket has no contact' },
      ]);
    }
    const contact = await readContact(db, contactId);
    if (!contact) {
      throw new HttpError('invalid', `No contact ${contactId}`, [
        { path: 'contactId', message: 'no such contact' },
      ]);
    }
    const { record, token } = await mintPortalLink(ctx, {
      ticketId: ticket.id,
      contactId,
      days: body.days,
      createdBy: user.id,
    });
    res
      .status(201)
      .json({ ...linkView(record), token, url: portalTicketUrl(deps.baseUrl(), ticket.id, token) });
  });

  r.get('/portal/links', auth, requireRole(...STAFF), async (req, res) => {
    const ticketId = typeof req.query.ticketId === 'string' ? req.query.ticketId : '';
    if (!ticketId) {
      throw new HttpError('invalid', 'Give ticketId', [{ path: 'ticketId', message: 'required' }]);
    }
    res.json({ links: (await listPortalLinks(db, ticketId)).map(linkView) });
  });

  r.delete('/portal/links/:id', auth, requireRole(...STAFF), async (req, res) => {
    const revoked = await revokePortalLink(db, String(req.params.id), ctx.clock.now());
    if (!revoked) throw new HttpError('not_found', `No live link ${String(req.params.id)}`);
    res.status(204).end();
  });

  r.post('/portal/accounts', auth, requireRole(...CUSTOMER_WRITE_ROLES), async (req, res) => {
    const body = parseBody(createPortalAccountRequestSchema, req.body, 'portal account');
    const contact = await readContact(db, body.contactId);
    if (!contact) {
      throw new HttpError('invalid', `No contact ${body.contactId}`, [
        { path: 'contactId', message: 'no such contact' },
      ]);
    }
    const login = (body.login ?? contact.email ?? '').trim().toLowerCase();
    if (!login) {
      throw new HttpError('invalid', 'The contact has no e-mail address: give login', [
        { path: 'login', message: 'required when the contact has no e-mail address' },
      ]);
    }
    const record: PortalAccountRecord = {
      id: randomUUID(),
      contactId: contact.id,
      login,
      organisationWide: body.organisationWide ?? false,
      createdBy: authOf(res).user.id,
      createdAt: ctx.clock.now(),
      disabledAt: null,
    };
    const made = await insertPortalAccount(db, {
      ...record,
      passwordHash: await hashPassword(body.password),
    });
    if (!made) throw new HttpError('conflict', 'This contact or login already has an account');
    res.status(201).json(accountView(record));
  });

  r.get('/portal/accounts', auth, requireRole(...CUSTOMER_WRITE_ROLES), async (_req, res) => {
    res.json({ accounts: (await listPortalAccounts(db)).map(accountView) });
  });

  r.delete('/portal/accounts/:id', auth, requireRole(...CUSTOMER_WRITE_ROLES), async (req, res) => {
    const done = await disablePortalAccount(db, String(req.params.id), ctx.clock.now());
    if (!done) throw new HttpError('not_found', `No live account ${String(req.params.id)}`);
    res.status(204).end();
  });

  r.post('/portal/login', async (req, res) => {
    const body = parseBody(portalLoginRequestSchema, req.body, 'sign-in');
    const login = body.login.trim().toLowerCase();
    // Each attempt is reserved first, with the staff's per-user backoff (decision 18).
    const now = ctx.clock.now();
    const key = `portal:${login}`;
    const blockedUntil = await reserveLoginAttempt(db, key, USER_BACKOFF, now);
    if (blockedUntil) throw rateLimited(blockedUntil, now);
    const account = await findPortalAccountByLogin(db, login);
    // The same answer for an unknown login and a wrong password; a hash is checked either way.
    const ok = account
      ? await verifyPassword(body.password, account.passwordHash)
      : (await verifyPassword(body.password, await dummyHashPromise), false);
    if (!account || !ok) throw new HttpError('unauthorized', 'Wrong login or password');
    await clearLoginAttempts(db, key, now);
    if (account.disabledAt) throw new HttpError('forbidden', 'This account is disabled');
    const session = await openPortalSession(ctx, account.id);
    res.json({ token: session.token, expiresAt: session.expiresAt.toISOString() });
  });

  r.post('/portal/logout', portal, async (_req, res) => {
    const caller = portalCallerOf(res);
    if (caller.sessionHash) await deletePortalSession(db, caller.sessionHash);
    res.status(204).end();
  });

  r.get('/portal/me', portal, (_req, res: Response) => {
    const c = portalCallerOf(res);
    const me: PortalMe = {
      kind: c.kind,
      contactName: c.contactName,
      organisationName: c.organisationName,
      ticketId: c.actor.customer.ticketId,
      organisationWide: c.actor.customer.organisationWide,
      locale: c.locale,
      expiresAt: c.expiresAt.toISOString(),
    };
    res.json(me);
  });

  r.get('/portal/tickets', portal, async (_req, res) => {
    const c = portalCallerOf(res);
    const scope = c.actor.customer;
    const list = scope.ticketId
      ? [await readTicket(db, scope.ticketId)].filter((t) => t !== null)
      : await listCustomerTickets(
          db,
          scope.contactId,
          scope.organisationWide ? scope.organisationId : null,
          LIST_LIMIT,
        );
    const tickets: PortalTicketRow[] = list
      .filter((t) => customerMaySee(scope, t))
      .map((t) => ({
        id: t.id,
        number: t.number,
        kind: t.kind,
        title: t.title,
        status: t.status,
        updatedAt: t.updatedAt,
      }));
    res.json({ tickets });
  });

  r.get('/portal/tickets/:id', portal, async (req, res) => {
    const ticket = await readVisibleTicket(ctx, portalCallerOf(res), String(req.params.id));
    res.json(toPublicTicket(ticket));
  });

  r.get('/portal/tickets/:id/attachments/:attachmentId', portal, async (req, res) => {
    const caller = portalCallerOf(res);
    const ticketId = String(req.params.id);
    await sendAttachment(
      ctx,
      deps.store,
      req,
      res,
      String(req.params.attachmentId),
      (t) =>
        t.id === ticketId &&
        customerMaySee(caller.actor.customer, t) &&
        isPublicAttachment(t, String(req.params.attachmentId)),
    );
  });

  r.post('/portal/commands', portal, async (req, res) => {
    const caller = portalCallerOf(res);
    const input: unknown = req.body;
    // A new request or complaint is the caller's own, raised on the portal.
    const command =
      input && typeof input === 'object' && (input as { type?: unknown }).type === 'ticket.create'
        ? { channel: 'portal', contactId: caller.actor.customer.contactId, ...input }
        : input;
    const ack = await executeCommand(ctx, caller.actor, command);
    // Never the staff's ack: no stored ticket (internal notes), no events, no conflict copy.
    if (!ack.ok) throw new HttpError(ack.error.code, ack.error.message, ack.error.fields);
    const stored = ack.ticket ? await readTicket(db, ack.ticket.id) : null;
    const visible = stored && customerMaySee(caller.actor.customer, stored) ? stored : null;
    res.json({
      ok: true,
      number: stored?.number ?? null,
      ticket: visible ? toPublicTicket(visible) : null,
    });
  });

  return r;
}
