import { z } from 'zod';
import { anyText, storableString } from './text';
import { localeSchema } from './auth';
import {
  instantSchema,
  pendingReasonSchema,
  prioritySchema,
  ratingsSchema,
  supervisionSourceSchema,
  ticketKindSchema,
  ticketStatusSchema,
} from './ticket';

/**
 * The customer portal's contract (decision 52): what a customer sees of a ticket (no internal
 * note, no execution log, no staff name or id, no group), its SLA promise, and the bodies of
 * the portal's routes.
 */

/** One SLA target as the customer is promised it: what, by when, and whether it was met. */
export const publicPromiseSchema = z.object({
  /** `response`, `resolution`, or a complaint's contact target (`contact-2h` …). */
  target: z.string(),
  dueAt: instantSchema,
  metAt: instantSchema.nullable(),
  /** `running`, `paused`, `met`, `breached`, `cancelled`. */
  state: z.string(),
});
export type PublicPromise = z.infer<typeof publicPromiseSchema>;

export const publicTicketSchema = z.object({
  id: z.string(),
  number: z.string(),
  kind: ticketKindSchema,
  title: z.string(),
  description: z.string(),
  status: ticketStatusSchema,
  pendingReason: pendingReasonSchema.nullable(),
  priority: prioritySchema,
  receivedAt: instantSchema,
  updatedAt: instantSchema,
  resolvedAt: instantSchema.nullable(),
  closedAt: instantSchema.nullable(),
  /** The resolution summary (its code is the desk's). */
  resolution: z.string().nullable(),
  statusHistory: z.array(z.object({ at: instantSchema, status: ticketStatusSchema })),
  /** Public comments only; `by` says the customer's side or the desk's, never a name. */
  comments: z.array(
    z.object({
      id: z.string(),
      at: instantSchema,
      body: z.string(),
      by: z.enum(['customer', 'desk']),
    }),
  ),
  supervisionLog: z.array(
    z.object({
      id: z.string(),
      at: instantSchema,
      source: supervisionSourceSchema,
      attitude: z.string().nullable(),
      professionalism: z.string().nullable(),
      feedback: z.string().nullable(),
      ratings: ratingsSchema,
      correctsEntryId: z.string().nullable(),
    }),
  ),
  milestones: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      addedAt: instantSchema,
      leadConfirmedAt: instantSchema.nullable(),
      /** `onBehalf`: staff signed for the customer; false: the customer signed. */
      customerConfirmation: z.object({ at: instantSchema, onBehalf: z.boolean() }).nullable(),
    }),
  ),
  attachments: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      contentType: z.string(),
      size: z.number().int().min(0),
      at: instantSchema,
    }),
  ),
  /** The SLA promise: the ticket's targets with a due time. */
  promise: z.array(publicPromiseSchema),
});
export type PublicTicket = z.infer<typeof publicTicketSchema>;

/** `GET /api/portal/me`: who the portal's caller is. */
export const portalMeSchema = z.object({
  kind: z.enum(['link', 'account']),
  contactName: z.string(),
  organisationName: z.string().nullable(),
  /** The one ticket of a signed link; null for an account. */
  ticketId: z.string().nullable(),
  organisationWide: z.boolean(),
  locale: localeSchema.nullable(),
  expiresAt: instantSchema,
});
export type PortalMe = z.infer<typeof portalMeSchema>;

/** One row of `GET /api/portal/tickets`. */
export const portalTicketRowSchema = publicTicketSchema.pick({
  id: true,
  number: true,
  kind: true,
  title: true,
  status: true,
  updatedAt: true,
});
export type PortalTicketRow = z.infer<typeof portalTicketRowSchema>;

/** `POST /api/portal/links` (staff): a signed link to one ticket for one contact. */
export const createPortalLinkRequestSchema = z
  .object({
    ticketId: storableString().min(1).max(100),
    /** The contact it is for; absent: the ticket's contact. */
    contactId: storableString().min(1).max(100).optional(),
    /** Days the link lives (1–90; default the server's `DUTYDESK_PORTAL_LINK_DAYS`). */
    days: z.number().int().min(1).max(90).optional(),
  })
  .strict();
export type CreatePortalLinkRequest = z.infer<typeof createPortalLinkRequestSchema>;

export const portalLinkSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  contactId: z.string(),
  createdBy: z.string().nullable(),
  createdAt: instantSchema,
  expiresAt: instantSchema,
  revokedAt: instantSchema.nullable(),
});
export type PortalLinkView = z.infer<typeof portalLinkSchema>;

/** `201` of `POST /api/portal/links`: the link, shown once (only its hash is stored). */
export const portalLinkCreatedSchema = portalLinkSchema.extend({
  token: z.string(),
  url: z.string(),
});

/** `POST /api/portal/accounts` (staff): a login for a contact. */
export const createPortalAccountRequestSchema = z
  .object({
    contactId: storableString().min(1).max(100),
    /** The login name: the contact's e-mail address by default. */
    login: anyText(254).min(3).optional(),
    password: storableString().min(8, 'at least 8 characters').max(256),
    /** Sees every ticket of the contact's organisation (its role there allows it). */
    organisationWide: z.boolean().optional(),
  })
  .strict();
export type CreatePortalAccountRequest = z.infer<typeof createPortalAccountRequestSchema>;

export const portalAccountSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  login: z.string(),
  organisationWide: z.boolean(),
  createdAt: instantSchema,
  disabledAt: instantSchema.nullable(),
});
export type PortalAccountView = z.infer<typeof portalAccountSchema>;

/** `POST /api/portal/login`: a customer account signs in. */
export const portalLoginRequestSchema = z
  .object({
    login: anyText(254).min(1),
    password: storableString().min(1).max(256),
  })
  .strict();
export const portalLoginResponseSchema = z.object({ token: z.string(), expiresAt: instantSchema });
