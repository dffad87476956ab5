/**
 * The customer records' commands on the bus (`organisation.*`, `contact.*`): each change is a
 * row written and an event appended in one transaction, so the audit chain covers the records
 * and every seat sees the change live (decision 31).
 */
import {
  asContactId,
  asOrganisationId,
  CUSTOMER_COMMAND_TYPES,
  makeError,
  mayWriteCustomers,
  normaliseName,
  normalisePhone,
  type Actor,
  type AppError,
  type CommandAck,
  type CommandOf,
  type CustomerCommand,
  type CustomerCommandType,
  type CustomerContact,
  type FieldError,
  type Organisation,
} from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { CommandResult, CommandSpec } from '../../commands/bus';
import { saveCommandResult } from '../../commands/results.repo';
import type { AppContext } from '../../context';
import type { Tx } from '../../db/client';
import { appendEvents, asWireEvents, type NewEvent, type StoredEvent } from '../events';
import {
  checkServiceManager,
  countContactTickets,
  countOrganisationReferences,
  deleteContactRow,
  deleteOrganisationRow,
  findOrganisationByName,
  lockContact,
  lockOrganisation,
  saveContact,
  saveOrganisation,
} from './customers.repo';

const ORGANISATION_FIELDS = [
  'name',
  'businessType',
  'contract',
  'slaPolicyId',
  'coreNeeds',
  'specialConcerns',
  'serviceManagerId',
  'status',
] as const;
const CONTACT_FIELDS = [
  'name',
  'organisationId',
  'phone',
  'email',
  'role',
  'preferredLanguage',
] as const;

function blankToNull<T>(v: T | '' | null | undefined): T | null {
  return v === undefined || v === null || v === '' ? null : v;
}

/**
 * The customer commands: agents, duty managers and admins write (engineers and wallboards
 * read or nothing); references checked in the transaction; `expectedVersion` honoured.
 */
export function createCustomerCommands(ctx: AppContext): CommandSpec<CustomerCommandType> {
  return {
    types: CUSTOMER_COMMAND_TYPES,
    precheck(actor) {
      if (!mayWriteCustomers(actor.roles))
        return makeError(
          'forbidden',
          `${actor.roles.join(', ') || 'no role'} may not change customer records (agents, duty managers and admins do)`,
        );
      return null;
    },
    handle: (tx, actor, command) => runCustomerCommand(ctx, tx, actor, command),
  };
}

async function runCustomerCommand(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  command: CustomerCommand,
): Promise<CommandResult> {
  const now = ctx.clock.now();
  const outcome = await decideCustomerCommand(ctx, tx, command, now);
  if (!outcome.ok) return { ack: { ok: false, error: outcome.error }, events: [], fresh: false };
  const list: NewEvent[] = outcome.events.map((e) => ({
    id: randomUUID(),
    ticketId: null,
    actorId: actor.id,
    at: now.toISOString(),
    ...e,
  }));
  const stored: StoredEvent[] = await appendEvents(tx, list, command.commandId);
  const ack: CommandAck = { ok: true, events: asWireEvents(stored) };
  await saveCommandResult(tx, command.commandId, actor.id, ack, now);
  return { ack, events: stored, fresh: true };
}

type Outcome =
  { ok: true; events: Array<{ type: string; data: unknown }> } | { ok: false; error: AppError };

function refuse(code: AppError['code'], message: string, fields?: FieldError[]): Outcome {
  return { ok: false, error: makeError(code, message, fields) };
}

function staleVersion(kind: string, name: string, version: number, expected: number): Outcome {
  return refuse(
    'conflict',
    `${kind} ${name} has changed (version ${version}, you had ${expected}); review and retry`,
    [{ path: 'expectedVersion', message: `now ${version}` }],
  );
}

async function checkOrganisationRefs(
  ctx: AppContext,
  tx: Tx,
  o: Pick<Organisation, 'id' | 'name' | 'slaPolicyId' | 'serviceManagerId'>,
  check: { name: boolean; slaPolicyId: boolean; serviceManagerId: boolean },
): Promise<Outcome | null> {
  const fields: FieldError[] = [];
  if (check.slaPolicyId && o.slaPolicyId !== null) {
    if (!ctx.sla.policies().some((p) => p.id === o.slaPolicyId))
      fields.push({ path: 'slaPolicyId', message: `no SLA policy "${o.slaPolicyId}"` });
  }
  if (check.serviceManagerId && o.serviceManagerId !== null) {
    const problem = await checkServiceManager(tx, o.serviceManagerId);
    if (problem) fields.push({ path: 'serviceManagerId', message: problem });
  }
  if (fields.length > 0) return refuse('invalid', 'Unknown SLA policy or service manager', fields);
  if (check.name) {
    const same = await findOrganisationByName(tx, o.name, o.id);
    if (same)
      return refuse('conflict', `An organisation named "${same.name}" exists already`, [
        { path: 'name', message: `taken by organisation ${same.id}` },
      ]);
  }
  return null;
}

async function checkContactOrganisation(tx: Tx, id: string | null): Promise<Outcome | null> {
  if (id === null) return null;
  const org = await lockOrganisation(tx, id, 'share');
  return org
    ? null
    : refuse('invalid', `No organisation ${id}`, [
        { path: 'organisationId', message: 'no such organisation' },
      ]);
}

function changedKeys<T extends object>(
  before: T | null,
  after: T,
  keys: readonly (keyof T & string)[],
): string[] {
  return keys.filter((k) => before === null || before[k] !== after[k]);
}

/** What a customer command means: the rows written, and the events to append (or a refusal). */
async function decideCustomerCommand(
  ctx: AppContext,
  tx: Tx,
  command: CustomerCommand,
  now: Date,
): Promise<Outcome> {
  const at = now.toISOString();
  switch (command.type) {
    case 'organisation.create': {
      const o: Organisation = {
        id: asOrganisationId(randomUUID()),
        ...organisationFields(command),
        status: command.status ?? 'active',
        version: 1,
        createdAt: at,
        updatedAt: at,
      };
      const bad = await checkOrganisationRefs(ctx, tx, o, {
        name: true,
        slaPolicyId: true,
        serviceManagerId: true,
      });
      if (bad) return bad;
      await saveOrganisation(tx, o);
      return savedEvent('organisation.created', o, [...ORGANISATION_FIELDS]);
    }
    case 'organisation.update': {
      const before = await lockOrganisation(tx, command.organisationId, 'update');
      if (!before) return missing('organisation', command.organisationId);
      if (command.expectedVersion !== undefined && command.expectedVersion !== before.version)
        return staleVersion('Organisation', before.name, before.version, command.expectedVersion);
      const next: Organisation = { ...before, ...pickGiven(organisationFields(command), command) };
      if (command.status !== undefined) next.status = command.status;
      const changed = changedKeys(before, next, ORGANISATION_FIELDS);
      if (changed.length === 0) return { ok: true, events: [] };
      const bad = await checkOrganisationRefs(ctx, tx, next, {
        name: changed.includes('name') && normaliseName(next.name) !== normaliseName(before.name),
        slaPolicyId: changed.includes('slaPolicyId'),
        serviceManagerId: changed.includes('serviceManagerId'),
      });
      if (bad) return bad;
      const saved = { ...next, version: before.version + 1, updatedAt: at };
      await saveOrganisation(tx, saved);
      return savedEvent('organisation.updated', saved, changed);
    }
    case 'organisation.delete': {
      const before = await lockOrganisation(tx, command.organisationId, 'update');
      if (!before) return missing('organisation', command.organisationId);
      if (command.expectedVersion !== undefined && command.expectedVersion !== before.version)
        return staleVersion('Organisation', before.name, before.version, command.expectedVersion);
      const refs = await countOrganisationReferences(tx, before.id);
      if (refs.contacts + refs.tickets > 0)
        return refuse(
          'conflict',
          `Organisation ${before.name} has ${refs.contacts} contacts and ${refs.tickets} tickets: set it inactive instead`,
        );
      await deleteOrganisationRow(tx, before.id);
      return {
        ok: true,
        events: [
          {
            type: 'organisation.deleted',
            data: { id: before.id, version: before.version, name: before.name },
          },
        ],
      };
    }
    case 'contact.create': {
      const c: CustomerContact = {
        id: asContactId(randomUUID()),
        ...contactFields(command),
        organisationId: command.organisationId ?? null,
        version: 1,
        createdAt: at,
        updatedAt: at,
      };
      const bad = await checkContactOrganisation(tx, c.organisationId);
      if (bad) return bad;
      await saveContact(tx, c);
      return savedEvent('contact.created', c, [...CONTACT_FIELDS]);
    }
    case 'contact.update': {
      const before = await lockContact(tx, command.contactId, 'update');
      if (!before) return missing('contact', command.contactId);
      if (command.expectedVersion !== undefined && command.expectedVersion !== before.version)
        return staleVersion('Contact', before.name, before.version, command.expectedVersion);
      const next: CustomerContact = { ...before, ...pickGiven(contactFields(command), command) };
      if (command.organisationId !== undefined) next.organisationId = command.organisationId;
      next.phoneDigits = normalisePhone(next.phone);
      const changed = changedKeys(before, next, CONTACT_FIELDS);
      if (changed.length === 0) return { ok: true, events: [] };
      if (changed.includes('organisationId')) {
        const bad = await checkContactOrganisation(tx, next.organisationId);
        if (bad) return bad;
      }
      const saved = { ...next, version: before.version + 1, updatedAt: at };
      await saveContact(tx, saved);
      return savedEvent('contact.updated', saved, changed);
    }
    case 'contact.delete': {
      const before = await lockContact(tx, command.contactId, 'update');
      if (!before) return missing('contact', command.contactId);
      if (command.expectedVersion !== undefined && command.expectedVersion !== before.version)
        return staleVersion('Contact', before.name, before.version, command.expectedVersion);
      const n = await countContactTickets(tx, before.id);
      if (n > 0)
        return refuse(
          'conflict',
          `Contact ${before.name} is linked to ${n} tickets: relink them first, or keep the contact`,
        );
      await deleteContactRow(tx, before.id);
      return {
        ok: true,
        events: [
          {
            type: 'contact.deleted',
            data: { id: before.id, version: before.version, name: before.name },
          },
        ],
      };
    }
  }
}

function missing(kind: 'organisation' | 'contact', id: string): Outcome {
  return refuse('not_found', `No ${kind} ${id}`, [
    { path: kind === 'organisation' ? 'organisationId' : 'contactId', message: `no such ${kind}` },
  ]);
}

function savedEvent(
  type: string,
  record: Organisation | CustomerContact,
  changed: string[],
): Outcome {
  return { ok: true, events: [{ type, data: { ...record, changed } }] };
}

/** Only the fields the command names (an update leaves the others as they are). */
function pickGiven<T extends object>(fields: T, command: object): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(fields) as Array<keyof T & string>) {
    if ((command as Record<string, unknown>)[k] !== undefined) out[k] = fields[k];
  }
  return out;
}

type OrganisationInput = Partial<Omit<CommandOf<'organisation.create'>, 'type' | 'commandId'>>;

function organisationFields(c: OrganisationInput) {
  return {
    name: c.name ?? '',
    businessType: blankToNull(c.businessType),
    contract: blankToNull(c.contract),
    slaPolicyId: blankToNull(c.slaPolicyId),
    coreNeeds: blankToNull(c.coreNeeds),
    specialConcerns: blankToNull(c.specialConcerns),
    serviceManagerId: c.serviceManagerId ?? null,
  };
}

type ContactInput = Partial<Omit<CommandOf<'contact.create'>, 'type' | 'commandId'>>;

function contactFields(c: ContactInput) {
  const phone = blankToNull(c.phone);
  return {
    name: c.name ?? '',
    phone,
    phoneDigits: normalisePhone(phone),
    email: blankToNull(c.email),
    role: blankToNull(c.role),
    preferredLanguage: blankToNull(c.preferredLanguage),
  };
}
