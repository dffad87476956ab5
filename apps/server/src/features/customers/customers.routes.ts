import {
  contactMatchSchema,
  createContactRequestSchema,
  createOrganisationRequestSchema,
  CUSTOMER_LIMITS,
  CUSTOMER_READ_ROLES,
  organisationSchema,
  organisationStatusSchema,
  toFieldErrors,
  updateContactRequestSchema,
  updateOrganisationRequestSchema,
  type CommandAck,
  type ContactMatch,
  type Organisation,
} from '@dutydesk/shared';
import { Router, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { executeCommand } from '../../commands';
import type { AppContext } from '../../context';
import { authOf, requireAuth, requireRole } from '../../http/auth';
import { singleQuery } from '../../http/body';
import { HttpError } from '../../http/errors';
import { actorFromUser } from '../tickets';
import { lookupContacts, listOrganisations, readContact, readOrganisation } from './customers.repo';
import { buildOrganisationOverview } from './overview';

const listQuerySchema = z
  .object({
    q: z.string().max(CUSTOMER_LIMITS.query).optional(),
    organisationId: z.string().min(1).max(64).optional(),
    status: organisationStatusSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(20),
  })
  .strict();

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value ?? {});
  if (!r.success) {
    const fields = toFieldErrors(r.error.issues);
    const first = fields[0];
    throw new HttpError(
      'invalid',
      first ? `Invalid ${what}: ${first.path || '(root)'}: ${first.message}` : `Invalid ${what}`,
      fields,
    );
  }
  return r.data;
}

/** Runs a customer command for the request's user; a refusal is thrown as its HTTP error. */
async function run(
  ctx: AppContext,
  res: Response,
  body: Record<string, unknown>,
): Promise<CommandAck & { ok: true }> {
  const actor = actorFromUser(authOf(res).user);
  const ack = await executeCommand(ctx, actor, { commandId: randomUUID(), ...body });
  if (!ack.ok) throw new HttpError(ack.error.code, ack.error.message, ack.error.fields);
  return ack;
}

/** The record a saved event carries (without its `changed` list). */
function recordOf(ack: CommandAck & { ok: true }): Record<string, unknown> | null {
  const e = ack.events.find((x) => x.type.endsWith('.created') || x.type.endsWith('.updated'));
  if (!e) return null;
  const { changed: _changed, ...record } = e.data as Record<string, unknown>;
  return record;
}

/**
 * Customer records over REST. Reads for staff (agents, engineers, duty managers, admins);
 * writes go through the command bus as `organisation.*` / `contact.*` commands, which allow
 * agents, duty managers and admins (decision 31). Bodies are the shared zod schemas; a
 * `commandId` in a body makes a retry safe.
 */
export function createCustomersRouter(ctx: AppContext): Router {
  const r = Router();
  const db = ctx.database.db;
  const staff = [requireAuth(ctx), requireRole(...CUSTOMER_READ_ROLES)];
  r.use(['/contacts', '/organisations'], ...staff);

  r.get('/contacts', async (req, res) => {
    const q = parseWith(listQuerySchema, singleQuery(req), 'query');
    const contacts: ContactMatch[] = await lookupContacts(db, {
      q: q.q,
      organisationId: q.organisationId,
      limit: q.limit,
    });
    res.json({ contacts });
  });

  r.get('/contacts/:id', async (req, res) => {
    const contact = await readContact(db, String(req.params.id));
    if (!contact) throw new HttpError('not_found', `No contact ${String(req.params.id)}`);
    res.json(contact);
  });

  r.post('/contacts', async (req, res) => {
    const body = parseWith(createContactRequestSchema, req.body, 'contact');
    const ack = await run(ctx, res, { ...body, type: 'contact.create' });
    const created = recordOf(ack);
    const contact = created ? await readContact(db, String(created.id)) : null;
    res.status(201).json(contactMatchSchema.parse(contact));
  });

  r.patch('/contacts/:id', async (req, res) => {
    const body = parseWith(updateContactRequestSchema, req.body, 'contact');
    const id = String(req.params.id);
    await run(ctx, res, { ...body, type: 'contact.update', contactId: id });
    const contact = await readContact(db, id);
    if (!contact) throw new HttpError('not_found', `No contact ${id}`);
    res.json(contact);
  });

  r.delete('/contacts/:id', async (req, res) => {
    const expected = req.query.expectedVersion;
    await run(ctx, res, {
      type: 'contact.delete',
      contactId: String(req.params.id),
      ...(typeof expected === 'string' ? { expectedVersion: Number(expected) } : {}),
    });
    res.status(204).end();
  });

  r.get('/organisations', async (req, res) => {
    const q = parseWith(listQuerySchema, singleQuery(req), 'query');
    const organisations: Organisation[] = await listOrganisations(db, {
      q: q.q,
      status: q.status,
      limit: q.limit,
    });
    res.json({ organisations });
  });

  r.get('/organisations/:id', async (req, res) => {
    const organisation = await readOrganisation(db, String(req.params.id));
    if (!organisation) throw new HttpError('not_found', `No organisation ${String(req.params.id)}`);
    res.json(organisation);
  });

  r.get('/organisations/:id/overview', async (req, res) => {
    res.json(await buildOrganisationOverview(ctx, String(req.params.id)));
  });

  r.post('/organisations', async (req, res) => {
    const body = parseWith(createOrganisationRequestSchema, req.body, 'organisation');
    const ack = await run(ctx, res, { ...body, type: 'organisation.create' });
    res.status(201).json(organisationSchema.parse(recordOf(ack)));
  });

  r.patch('/organisations/:id', async (req, res) => {
    const body = parseWith(updateOrganisationRequestSchema, req.body, 'organisation');
    const id = String(req.params.id);
    await run(ctx, res, { ...body, type: 'organisation.update', organisationId: id });
    const organisation = await readOrganisation(db, id);
    if (!organisation) throw new HttpError('not_found', `No organisation ${id}`);
    res.json(organisation);
  });

  r.delete('/organisations/:id', async (req, res) => {
    const expected = req.query.expectedVersion;
    await run(ctx, res, {
      type: 'organisation.delete',
      organisationId: String(req.params.id),
      ...(typeof expected === 'string' ? { expectedVersion: Number(expected) } : {}),
    });
    res.status(204).end();
  });

  return r;
}
