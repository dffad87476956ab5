/**
 * The intake's routes: the four doors (integration token only, their own JSON parser for a
 * batch of 10 000 samples) and the admin's integration tokens, rules and devices.
 */
import express, { Router, type RequestHandler } from 'express';
import type { AppContext } from '../../context';
import { authOf, requireAuth, requireRole } from '../../http/auth';
import { MAX_JSON_DEPTH, measureJsonDepth, parseBody } from '../../http/body';
import { HttpError } from '../../http/errors';
import {
  deleteDevice,
  listDevices,
  listIntegrations,
  readDevice,
  revokeIntegration,
  saveIntakeSettingsRow,
  upsertDevice,
  type DeviceRecord,
} from './intake.repo';
import {
  alertmanagerPayloadSchema,
  callEventSchema,
  chatTranscriptSchema,
  deviceInputSchema,
  INTAKE_BODY_LIMIT,
  integrationCreateSchema,
  intakeSettingsSchema,
  metricsPayloadSchema,
} from './intake.schemas';
import type { IntakeService } from './intake.service';
import { createIntegration, requireIntegration, toIntegrationView } from './tokens';
import { readContact, readOrganisation } from '../customers';

/** JSON only, up to the intake's limit and the API's depth. */
function doorBody(): RequestHandler[] {
  const json = express.json({ limit: INTAKE_BODY_LIMIT, strict: true });
  const mediaType: RequestHandler = (req, _res, next) => {
    if (req.is(['json', '+json'])) {
      next();
      return;
    }
    next(
      new HttpError(
        'invalid',
        'Unsupported Content-Type: send application/json',
        [{ path: 'content-type', message: 'expected application/json' }],
        undefined,
        415,
      ),
    );
  };
  const depth: RequestHandler = (req, _res, next) => {
    if (measureJsonDepth(req.body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      next(new HttpError('invalid', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`));
      return;
    }
    next();
  };
  return [mediaType, json, depth];
}

/** `/api/intake/{alertmanager,metrics,calls,chats}`: mounted before the API's JSON parser. */
export function createIntakeDoorsRouter(ctx: AppContext, service: () => IntakeService): Router {
  const router = Router();
  const guard = requireIntegration(ctx);
  const door = (path: string, handle: (body: unknown) => Promise<unknown>): void => {
    router.post(path, guard, ...doorBody(), async (req, res) => {
      res.status(202).json(await handle(req.body));
    });
  };
  door('/alertmanager', (b) =>
    service().alertmanager(parseBody(alertmanagerPayloadSchema, b, 'Alertmanager notification')),
  );
  door('/metrics', (b) => service().metrics(parseBody(metricsPayloadSchema, b, 'samples')));
  door('/calls', (b) => service().call(parseBody(callEventSchema, b, 'call event')));
  door('/chats', (b) => service().chat(parseBody(chatTranscriptSchema, b, 'chat transcript')));
  return router;
}

function toDeviceView(d: DeviceRecord) {
  return {
    id: d.id,
    name: d.name,
    organisationId: d.organisationId,
    leadContactId: d.leadContactId,
    thresholds: d.thresholds,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

/** The admin's side (`/api/integrations`, `/api/intake/settings`, `/api/intake/devices`) and the call figures. */
export function createIntakeAdminRouter(ctx: AppContext, service: () => IntakeService): Router {
  const router = Router();
  const admin = [requireAuth(ctx), requireRole('admin')];

  router.post('/integrations', ...admin, async (req, res) => {
    const input = parseBody(integrationCreateSchema, req.body, 'integration');
    res.status(201).json(await createIntegration(ctx, input, authOf(res).user.id));
  });
  router.get('/integrations', ...admin, async (_req, res) => {
    const list = await listIntegrations(ctx.database.db);
    res.json({ integrations: list.map(toIntegrationView) });
  });
  router.delete('/integrations/:id', ...admin, async (req, res) => {
    const id = String(req.params.id ?? '');
    if (!(await revokeIntegration(ctx.database.db, id, ctx.clock.now()))) {
      throw new HttpError('not_found', `No live integration ${id}`);
    }
    res.status(204).end();
  });

  router.get('/intake/settings', ...admin, async (_req, res) => {
    res.json(await service().settings());
  });
  router.put('/intake/settings', ...admin, async (req, res) => {
    const s = parseBody(intakeSettingsSchema, req.body, 'intake settings');
    await saveIntakeSettingsRow(ctx.database.db, s, ctx.clock.now());
    res.json(s);
  });

  router.get('/intake/devices', ...admin, async (_req, res) => {
    const list = await listDevices(ctx.database.db, 10_000);
    res.json({ devices: list.map(toDeviceView) });
  });
  router.put('/intake/devices/:id', ...admin, async (req, res) => {
    const id = String(req.params.id ?? '').trim();
    if (id.length < 1 || id.length > 200)
      throw new HttpError('invalid', 'A device id has 1–200 characters');
    const input = parseBody(deviceInputSchema, req.body, 'device');
    const fields: Array<{ path: string; message: string }> = [];
    if (input.organisationId && !(await readOrganisation(ctx.database.db, input.organisationId))) {
      fields.push({ path: 'organisationId', message: 'no such organisation' });
    }
    if (input.leadContactId && !(await readContact(ctx.database.db, input.leadContactId))) {
      fields.push({ path: 'leadContactId', message: 'no such contact' });
    }
    if (fields.length > 0)
      throw new HttpError('invalid', 'Unknown organisation or contact', fields);
    const now = ctx.clock.now();
    const before = await readDevice(ctx.database.db, id);
    const device: DeviceRecord = {
      id,
      name: input.name ?? before?.name ?? id,
      organisationId: input.organisationId ?? null,
      leadContactId: input.leadContactId ?? null,
      thresholds: input.thresholds,
      createdAt: before?.createdAt ?? now,
      updatedAt: now,
    };
    await upsertDevice(ctx.database.db, device);
    res.status(before ? 200 : 201).json(toDeviceView(device));
  });
  router.delete('/intake/devices/:id', ...admin, async (req, res) => {
    const id = String(req.params.id ?? '');
    if (!(await deleteDevice(ctx.database.db, id)))
      throw new HttpError('not_found', `No device ${id}`);
    res.status(204).end();
  });

  return router;
}
