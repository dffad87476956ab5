import {
  commandSchema,
  createPortalAccountRequestSchema,
  createPortalLinkRequestSchema,
  portalAccountSchema,
  portalLinkCreatedSchema,
  portalLinkSchema,
  portalLoginRequestSchema,
  portalLoginResponseSchema,
  portalMeSchema,
  portalTicketRowSchema,
  publicTicketSchema,
} from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, json, named } from '../openapi';

const STAFF = ['agent', 'engineer', 'duty_manager', 'admin'] as const;
const WRITERS = ['agent', 'duty_manager', 'admin'] as const;
const idParams = z.object({ id: z.string().min(1).max(200) });
const publicTicket = named(publicTicketSchema, 'PublicTicket');
const bytes = z.string().describe('The file as uploaded');

export const portalApi = defineApi('portal', [
  {
    method: 'post',
    path: '/api/portal/links',
    operationId: 'createPortalLink',
    tagDescription:
      "The customer portal (issue 18, decision 52): signed per-ticket links and customer accounts (staff), and the customer's own routes (a portal token).",
    summary: 'Mint a signed link to one ticket for one contact (the token is shown once)',
    description:
      "The link opens `/portal/tickets/{id}?t=<token>` and the customer's routes for that ticket only, until it expires (`days`, default 30) or is revoked. Mails carry links minted the same way.",
    auth: 'staff',
    roles: [...STAFF],
    body: createPortalLinkRequestSchema,
    responses: { 201: json(portalLinkCreatedSchema, 'The link and its token, shown this once') },
    errors: [404],
    example: { body: { ticketId: 'ticket-id', days: 14 } },
  },
  {
    method: 'get',
    path: '/api/portal/links',
    operationId: 'listPortalLinks',
    summary: "A ticket's signed links (never their tokens)",
    auth: 'staff',
    roles: [...STAFF],
    query: z.object({ ticketId: z.string().min(1).max(200) }),
    responses: {
      200: json(
        z.object({ links: z.array(named(portalLinkSchema, 'PortalLink')) }),
        'The links, latest first',
      ),
    },
    example: { query: { ticketId: 'ticket-id' } },
  },
  {
    method: 'delete',
    path: '/api/portal/links/{id}',
    operationId: 'revokePortalLink',
    summary: 'Revoke a signed link (it answers 403 from now on)',
    auth: 'staff',
    roles: [...STAFF],
    params: idParams,
    responses: { 204: { description: 'Revoked' } },
    errors: [404],
    example: { params: { id: 'link-id' } },
  },
  {
    method: 'post',
    path: '/api/portal/accounts',
    operationId: 'createPortalAccount',
    summary: 'Give a contact a portal login',
    description:
      "`organisationWide`: the account sees every ticket of the contact's organisation (its role there allows it); otherwise only the contact's own.",
    auth: 'staff',
    roles: [...WRITERS],
    body: createPortalAccountRequestSchema,
    responses: { 201: json(named(portalAccountSchema, 'PortalAccount'), 'The account') },
    errors: [409],
    example: {
      body: { contactId: 'contact-id', password: 'correct horse battery', organisationWide: true },
    },
  },
  {
    method: 'get',
    path: '/api/portal/accounts',
    operationId: 'listPortalAccounts',
    summary: 'The customer accounts',
    auth: 'staff',
    roles: [...WRITERS],
    responses: {
      200: json(z.object({ accounts: z.array(portalAccountSchema) }), 'The accounts'),
    },
    example: {},
  },
  {
    method: 'delete',
    path: '/api/portal/accounts/{id}',
    operationId: 'disablePortalAccount',
    summary: 'Disable a customer account (its sessions end)',
    auth: 'staff',
    roles: [...WRITERS],
    params: idParams,
    responses: { 204: { description: 'Disabled' } },
    errors: [404],
    example: { params: { id: 'account-id' } },
  },
  {
    method: 'post',
    path: '/api/portal/login',
    operationId: 'portalLogin',
    summary: 'A customer account signs in (a portal session token)',
    auth: 'public',
    body: portalLoginRequestSchema,
    responses: { 200: json(portalLoginResponseSchema, 'The session token') },
    errors: [401, 403, 429],
    example: { body: { login: 'li.wei@example.com', password: 'correct horse battery' } },
  },
  {
    method: 'post',
    path: '/api/portal/logout',
    operationId: 'portalLogout',
    summary: "Ends the customer account's session",
    auth: 'portal',
    responses: { 204: { description: 'Signed out' } },
    example: {},
  },
  {
    method: 'get',
    path: '/api/portal/me',
    operationId: 'portalMe',
    summary: 'Who the portal caller is (a link or an account, its contact)',
    auth: 'portal',
    responses: { 200: json(named(portalMeSchema, 'PortalMe'), 'The caller') },
    errors: [403],
    example: {},
  },
  {
    method: 'get',
    path: '/api/portal/tickets',
    operationId: 'portalTickets',
    summary: "The caller's tickets (a link: its one ticket)",
    auth: 'portal',
    responses: {
      200: json(z.object({ tickets: z.array(portalTicketRowSchema) }), 'Latest first'),
    },
    errors: [403],
    example: {},
  },
  {
    method: 'get',
    path: '/api/portal/tickets/{id}',
    operationId: 'portalTicket',
    summary:
      "A ticket's public view: status, SLA promise, public timeline, supervision log, milestones, public attachments",
    description:
      'No internal note, execution log, staff name or id. Another ticket than the caller may see answers 404.',
    auth: 'portal',
    params: idParams,
    responses: { 200: json(publicTicket, 'The public view') },
    errors: [403, 404],
    example: { params: { id: 'ticket-id' } },
  },
  {
    method: 'get',
    path: '/api/portal/tickets/{id}/attachments/{attachmentId}',
    operationId: 'portalAttachment',
    summary:
      'A public attachment of the ticket (on the ticket, a public comment or the supervision log)',
    auth: 'portal',
    params: z.object({ id: z.string().min(1).max(200), attachmentId: z.string().min(1).max(200) }),
    responses: {
      200: {
        description: 'The bytes',
        contentType: 'application/octet-stream',
        schema: bytes,
        alsoAs: { 'text/plain': bytes },
      },
      304: { description: 'Not modified' },
    },
    errors: [403, 404, 410, 503],
    example: { params: { id: 'ticket-id', attachmentId: 'attachment-id' } },
  },
  {
    method: 'post',
    path: '/api/portal/commands',
    operationId: 'portalCommand',
    summary:
      "A customer's command: supervision entry, milestone sign-off, public comment, new request or complaint, reopen",
    description:
      "The same commands as staff send, held to the customer's rules on the bus: only `ticket.log.supervision` (source `customer`), `ticket.milestone.confirm` (side `customer`, signed by the customer), `ticket.comment` (public), `ticket.create` (channel `portal`, the caller's contact) and `ticket.reopen`, on tickets the caller may see; every other command answers 403.",
    auth: 'portal',
    body: commandSchema,
    responses: {
      200: json(
        z.object({
          ok: z.literal(true),
          number: z.string().nullable(),
          ticket: publicTicket.nullable(),
        }),
        "Done: the ticket's public view after it (null for a new ticket a link does not reach)",
      ),
    },
    errors: [403, 404, 409, 429],
    example: {
      body: {
        commandId: 'portal-2026-12-03-0001',
        type: 'ticket.log.supervision',
        ticketId: 'ticket-id',
        source: 'customer',
        attitude: 'Friendly and patient',
        feedback: 'Kept us informed',
      },
    },
  },
]);
