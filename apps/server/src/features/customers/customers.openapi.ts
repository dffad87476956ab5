import {
  contactMatchSchema,
  createContactRequestSchema,
  createOrganisationRequestSchema,
  CUSTOMER_LIMITS,
  CUSTOMER_WRITE_ROLES,
  organisationOverviewSchema,
  organisationSchema,
  organisationStatusSchema,
  updateContactRequestSchema,
  updateOrganisationRequestSchema,
} from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, json, named } from '../openapi';

const organisation = named(organisationSchema, 'Organisation');
const contactMatch = named(contactMatchSchema, 'ContactMatch');
const overview = named(organisationOverviewSchema, 'OrganisationOverview');
const byId = z.object({ id: z.string().min(1).max(64).describe("The record's id") });
const limit = z
  .string()
  .regex(/^\d+$/)
  .optional()
  .describe('At most this many, 1–200 (default 20)');
const versionQuery = z.object({
  expectedVersion: z
    .string()
    .regex(/^\d+$/)
    .optional()
    .describe('The version read; a newer one answers 409'),
});
const exampleId = '0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d';
const writes = CUSTOMER_WRITE_ROLES;
const commandNote =
  'Runs as a command on the bus (idempotent per `commandId`, audited as an event, pushed to every seat).';

/** Customer records (customers.routes.ts, decision 31): staff read; the desk writes. */
export const customersApi = defineApi('customers', [
  {
    method: 'get',
    path: '/api/contacts',
    operationId: 'lookupContacts',
    tagDescription:
      'Customer records: contacts (and the caller lookup) and organisations (decision 31).',
    summary: 'Find callers by phone or name (search-as-you-type)',
    description:
      'A `q` that reads as a phone number (3+ digits, only digits, spaces and `+ ( ) - .`) matches the digits as a prefix or a suffix, then anywhere; any other `q` matches the contact’s or its organisation’s name anywhere (prefix matches first), or an e-mail’s start.',
    auth: 'staff',
    query: z.object({
      q: z.string().max(CUSTOMER_LIMITS.query).optional().describe('Phone digits or a name'),
      organisationId: z.string().min(1).max(64).optional(),
      limit,
    }),
    responses: { 200: json(z.object({ contacts: z.array(contactMatch) }), 'The contacts') },
    example: { query: { q: '13800138000', limit: '8' } },
  },
  {
    method: 'get',
    path: '/api/contacts/{id}',
    operationId: 'getContact',
    summary: 'One contact, with its organisation',
    auth: 'staff',
    params: byId,
    responses: { 200: json(contactMatch, 'The contact') },
    errors: [404],
    example: { params: { id: exampleId } },
  },
  {
    method: 'post',
    path: '/api/contacts',
    operationId: 'createContact',
    summary: 'A new contact (`contact.create`)',
    description: commandNote,
    auth: 'staff',
    roles: writes,
    body: createContactRequestSchema,
    responses: { 201: json(contactMatch, 'Created') },
    errors: [409],
    example: {
      body: {
        name: '张伟',
        phone: '+86 138-0013-8000',
        role: 'IT manager',
        preferredLanguage: 'zh-CN',
      },
    },
  },
  {
    method: 'patch',
    path: '/api/contacts/{id}',
    operationId: 'updateContact',
    summary: 'Change a contact’s fields (`contact.update`)',
    description: commandNote,
    auth: 'staff',
    roles: writes,
    params: byId,
    body: updateContactRequestSchema,
    responses: { 200: json(contactMatch, 'Changed') },
    errors: [404, 409],
    example: { params: { id: exampleId }, body: { email: 'zhang.wei@example.com' } },
  },
  {
    method: 'delete',
    path: '/api/contacts/{id}',
    operationId: 'deleteContact',
    summary: 'Delete a contact no ticket links to (`contact.delete`)',
    description: commandNote,
    auth: 'staff',
    roles: writes,
    params: byId,
    query: versionQuery,
    responses: { 204: { description: 'Deleted' } },
    errors: [404, 409],
    example: { params: { id: exampleId } },
  },
  {
    method: 'get',
    path: '/api/organisations',
    operationId: 'listOrganisations',
    summary: 'Organisations by name and status',
    auth: 'staff',
    query: z.object({
      q: z.string().max(CUSTOMER_LIMITS.query).optional(),
      status: organisationStatusSchema.optional(),
      limit,
    }),
    responses: {
      200: json(z.object({ organisations: z.array(organisation) }), 'The organisations'),
    },
    example: { query: { status: 'active' } },
  },
  {
    method: 'get',
    path: '/api/organisations/{id}',
    operationId: 'getOrganisation',
    summary: 'One organisation',
    auth: 'staff',
    params: byId,
    responses: { 200: json(organisation, 'The organisation') },
    errors: [404],
    example: { params: { id: exampleId } },
  },
  {
    method: 'get',
    path: '/api/organisations/{id}/overview',
    operationId: 'getOrganisationOverview',
    summary:
      'An organisation’s page: contacts, open tickets, history, SLA attainment this month, compensation owed',
    description:
      "Open tickets and the latest 50 closed ones as summaries (`historyMore` when there are more). The month is the desk's calendar month so far; attainment `{ met, breached, rate }` counts the response and resolve targets met or breached in it (docs/metrics.md's definition); compensation is the SLA compensation report's figures for the organisation's tickets received in it.",
    auth: 'staff',
    params: byId,
    responses: { 200: json(overview, 'The overview') },
    errors: [404],
    example: { params: { id: exampleId } },
  },
  {
    method: 'post',
    path: '/api/organisations',
    operationId: 'createOrganisation',
    summary: 'A new organisation (`organisation.create`)',
    description: `${commandNote} \`slaPolicyId\` must name a policy in force; the normalised name must be free (409).`,
    auth: 'staff',
    roles: writes,
    body: createOrganisationRequestSchema,
    responses: { 201: json(organisation, 'Created') },
    errors: [409],
    example: {
      body: {
        name: '华东城市银行',
        businessType: 'Banking',
        contract: 'SC-2026-014',
        coreNeeds: 'Core banking online 7×24',
        specialConcerns: 'Call the branch manager before any restart',
      },
    },
  },
  {
    method: 'patch',
    path: '/api/organisations/{id}',
    operationId: 'updateOrganisation',
    summary: 'Change an organisation’s fields (`organisation.update`)',
    description: commandNote,
    auth: 'staff',
    roles: writes,
    params: byId,
    body: updateOrganisationRequestSchema,
    responses: { 200: json(organisation, 'Changed') },
    errors: [404, 409],
    example: { params: { id: exampleId }, body: { status: 'inactive' } },
  },
  {
    method: 'delete',
    path: '/api/organisations/{id}',
    operationId: 'deleteOrganisation',
    summary: 'Delete an organisation nothing refers to (`organisation.delete`)',
    description: `${commandNote} With contacts or tickets it answers 409: set it inactive instead.`,
    auth: 'staff',
    roles: writes,
    params: byId,
    query: versionQuery,
    responses: { 204: { description: 'Deleted' } },
    errors: [404, 409],
    example: { params: { id: exampleId } },
  },
]);
