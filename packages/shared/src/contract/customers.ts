import { z } from 'zod';
import type { RoleName } from './auth';
import { contactIdSchema, organisationIdSchema, ticketIdSchema, userIdSchema } from './ids';
import {
  instantSchema,
  prioritySchema,
  resolutionSchema,
  ticketKindSchema,
  ticketStatusSchema,
  type Ticket,
} from './ticket';
import { anyText, requiredText, storableString } from './text';

/** Length limits of customer record fields (characters). */
export const CUSTOMER_LIMITS = {
  name: 200,
  short: 100,
  contract: 200,
  notes: 4_000,
  phone: 50,
  email: 254,
  /** Characters of a lookup query (`GET /api/contacts?q=`). */
  query: 100,
  /** Digits a phone lookup needs before it matches by number. */
  phoneDigitsMin: 3,
} as const;

/** Who reads customer records: staff (never a wallboard). */
export const CUSTOMER_READ_ROLES: readonly RoleName[] = [
  'agent',
  'engineer',
  'duty_manager',
  'admin',
];
/** Who writes them: the desk (agents) and those who may do everything (decision 31). */
export const CUSTOMER_WRITE_ROLES: readonly RoleName[] = ['agent', 'duty_manager', 'admin'];

/**
 * Whether these roles may create, change or delete customer records.
 * @example mayWriteCustomers(['engineer']) // false
 */
export function mayWriteCustomers(roles: readonly RoleName[]): boolean {
  return roles.some((r) => CUSTOMER_WRITE_ROLES.includes(r));
}

/** Whether an organisation is served under its contract. */
export const OrganisationStatus = { active: 'active', inactive: 'inactive' } as const;
export type OrganisationStatus = (typeof OrganisationStatus)[keyof typeof OrganisationStatus];
export const organisationStatusSchema = z.enum(['active', 'inactive']);

/** A language tag such as `zh-CN` or `en` (BCP 47 shape, not checked against a registry). */
export const languageTagSchema = storableString()
  .trim()
  .max(35)
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as zh-CN or en');

/**
 * A customer organisation. `slaPolicyId` names the SLA policy of its contract (one of the
 * policies in force, `GET /api/sla/policies`); a ticket linked to the organisation is measured
 * with it (decision 31). `serviceManagerId` is the desk's dedicated service manager (a user).
 */
export const organisationSchema = z.object({
  id: organisationIdSchema,
  name: z.string(),
  businessType: z.string().nullable(),
  contract: z.string().nullable(),
  slaPolicyId: z.string().nullable(),
  coreNeeds: z.string().nullable(),
  specialConcerns: z.string().nullable(),
  serviceManagerId: userIdSchema.nullable(),
  status: organisationStatusSchema,
  version: z.number().int().min(1),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});
export type Organisation = z.infer<typeof organisationSchema>;

/**
 * A person who calls the desk, usually for an organisation. `phoneDigits` is `phone` with
 * everything but digits removed (what the lookup matches).
 */
export const customerContactSchema = z.object({
  id: contactIdSchema,
  organisationId: organisationIdSchema.nullable(),
  name: z.string(),
  phone: z.string().nullable(),
  phoneDigits: z.string().nullable(),
  email: z.string().nullable(),
  role: z.string().nullable(),
  preferredLanguage: z.string().nullable(),
  version: z.number().int().min(1),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});
export type CustomerContact = z.infer<typeof customerContactSchema>;

/** What a lookup row shows of a contact's organisation. */
export const organisationRefSchema = z.object({
  id: organisationIdSchema,
  name: z.string(),
  status: organisationStatusSchema,
});
export type OrganisationRef = z.infer<typeof organisationRefSchema>;

/** A contact with its organisation's name, as `GET /api/contacts` lists them. */
export const contactMatchSchema = customerContactSchema.extend({
  organisation: organisationRefSchema.nullable(),
});
export type ContactMatch = z.infer<typeof contactMatchSchema>;

/**
 * Digits only, for phone lookups: `+86 (21) 5555-0101` → `862155550101`.
 * Null when nothing is left.
 * @example normalisePhone('+86 138-0013-8000') // '8613800138000'
 */
export function normalisePhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.normalize('NFKC').replace(/\D+/g, '');
  return digits.length > 0 ? digits : null;
}

/**
 * A name as lookups and de-duplication compare it: Unicode NFKC (full-width letters become
 * ASCII), trimmed, runs of spaces folded to one, lower case.
 * @example normaliseName('  ＡＣＭＥ   Bank ') // 'acme bank'
 */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Whether a lookup query reads as a phone number: at least
 * {@link CUSTOMER_LIMITS.phoneDigitsMin} digits and nothing but digits and phone punctuation.
 * @example isPhoneQuery('138 0013') // true
 * @example isPhoneQuery('张伟') // false
 */
export function isPhoneQuery(q: string): boolean {
  const digits = normalisePhone(q);
  return (
    digits !== null &&
    digits.length >= CUSTOMER_LIMITS.phoneDigitsMin &&
    /^[\d\s+()\-.]+$/.test(q.normalize('NFKC').trim())
  );
}

const optionalText = (max: number) => anyText(max).nullable().optional();
const email = z
  .union([z.email().max(CUSTOMER_LIMITS.email), z.literal('')])
  .nullable()
  .optional();

/** The fields of an organisation a request may set (every one but `name` optional). */
export const organisationFieldsSchema = z.object({
  name: requiredText(CUSTOMER_LIMITS.name),
  businessType: optionalText(CUSTOMER_LIMITS.short),
  contract: optionalText(CUSTOMER_LIMITS.contract),
  slaPolicyId: storableString().min(1).max(64).nullable().optional(),
  coreNeeds: optionalText(CUSTOMER_LIMITS.notes),
  specialConcerns: optionalText(CUSTOMER_LIMITS.notes),
  serviceManagerId: userIdSchema.nullable().optional(),
  status: organisationStatusSchema.optional(),
});

/** The fields of a contact a request may set (every one but `name` optional). */
export const contactFieldsSchema = z.object({
  name: requiredText(CUSTOMER_LIMITS.name),
  organisationId: organisationIdSchema.nullable().optional(),
  phone: optionalText(CUSTOMER_LIMITS.phone),
  email,
  role: optionalText(CUSTOMER_LIMITS.short),
  preferredLanguage: languageTagSchema.or(z.literal('')).nullable().optional(),
});

/** `POST /api/organisations` body; `commandId` optional (a retry with the same one is safe). */
export const createOrganisationRequestSchema = organisationFieldsSchema
  .extend({ commandId: storableString().min(8).max(100).optional() })
  .strict();
/** `PATCH /api/organisations/:id` body: the fields to change, and the version read. */
export const updateOrganisationRequestSchema = organisationFieldsSchema
  .partial()
  .extend({
    commandId: storableString().min(8).max(100).optional(),
    expectedVersion: z.number().int().min(1).optional(),
  })
  .strict();
/** `POST /api/contacts` body. */
export const createContactRequestSchema = contactFieldsSchema
  .extend({ commandId: storableString().min(8).max(100).optional() })
  .strict();
/** `PATCH /api/contacts/:id` body. */
export const updateContactRequestSchema = contactFieldsSchema
  .partial()
  .extend({
    commandId: storableString().min(8).max(100).optional(),
    expectedVersion: z.number().int().min(1).optional(),
  })
  .strict();

/** Data of `organisation.created` and `organisation.updated`: the whole record after it. */
export const organisationSavedDataSchema = organisationSchema.extend({
  /** The fields this change set (all of them on `created`). */
  changed: z.array(z.string()),
});
/** Data of `contact.created` and `contact.updated`: the whole record after it. */
export const contactSavedDataSchema = customerContactSchema.extend({
  changed: z.array(z.string()),
});
/** Data of `organisation.deleted` / `contact.deleted`: which record, at which version. */
export const customerDeletedDataSchema = z.object({
  id: z.string().min(1).max(64),
  version: z.number().int().min(1),
  name: z.string(),
});

/** One ticket as an organisation's page lists it (open or in its history). */
export const ticketSummarySchema = z.object({
  id: ticketIdSchema,
  number: z.string(),
  title: z.string(),
  kind: ticketKindSchema,
  priority: prioritySchema,
  status: ticketStatusSchema,
  contactId: contactIdSchema.nullable(),
  receivedAt: instantSchema,
  resolvedAt: instantSchema.nullable(),
  closedAt: instantSchema.nullable(),
  resolution: resolutionSchema.nullable(),
});
export type TicketSummary = z.infer<typeof ticketSummarySchema>;

/** A ticket as an organisation's page lists it (the server's overview, the console's live rows). */
export function summarizeTicket(t: Ticket): TicketSummary {
  return {
    id: t.id,
    number: t.number,
    title: t.title,
    kind: t.kind,
    priority: t.priority,
    status: t.status,
    contactId: t.contactId ?? null,
    receivedAt: t.receivedAt,
    resolvedAt: t.resolvedAt,
    closedAt: t.closedAt,
    resolution: t.resolution,
  };
}

const attainmentOfSchema = z.object({
  met: z.number().int().nonnegative(),
  breached: z.number().int().nonnegative(),
  /** Null when nothing was decided in the window. */
  rate: z.number().nullable(),
});

/**
 * `GET /api/organisations/:id/overview`: what an organisation's page shows. The month is the
 * desk's calendar month (desk time zone); attainment counts response and resolve targets met
 * or breached in it (the wallboard's definition, docs/metrics.md); compensation is the SLA
 * compensation report's figures for the organisation's tickets received in it.
 */
export const organisationOverviewSchema = z.object({
  organisation: organisationSchema,
  contacts: z.array(customerContactSchema),
  openTickets: z.array(ticketSummarySchema),
  history: z.array(ticketSummarySchema),
  /** Whether older closed tickets exist beyond `history`. */
  historyMore: z.boolean(),
  month: z.object({ from: instantSchema, to: instantSchema }),
  sla: z.object({ response: attainmentOfSchema, resolve: attainmentOfSchema }),
  compensation: z.object({
    tickets: z.number().int().nonnegative(),
    breachedTickets: z.number().int().nonnegative(),
    compensationMinutes: z.number().nonnegative(),
  }),
});
export type OrganisationOverview = z.infer<typeof organisationOverviewSchema>;
