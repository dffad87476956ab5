import { randomUUID } from 'node:crypto';
import { toFieldErrors } from '@dutydesk/shared';
import { Router } from 'express';
import type { AppContext } from '../../context';
import { authOf, requireAuth, requireRole } from '../../http/auth';
import { HttpError } from '../../http/errors';
import { actorFromUser } from '../tickets';
import { toPublicUser } from '../auth';
import { listAlerts, readAlert, replaceStoredPolicies } from './escalation.repo';
import { checkAlertVisible, toAlertView } from './alertView';
import type { EscalationEngine } from './escalation.service';
import { escalationPolicyListSchema } from './policy';

/**
 * `GET /api/alerts?open=&ticketId=&limit=` (what the caller may see), `GET /api/alerts/:id`
 * (with digest members), `POST /api/alerts/:id/ack`, and `GET|PUT /api/escalation/policies`.
 */
export function createEscalationRouter(ctx: AppContext, engine: () => EscalationEngine): Router {
  const r = Router();
  r.use(['/alerts', '/escalation'], requireAuth(ctx));

  r.get('/alerts', async (req, res) => {
    const user = authOf(res).user;
    const open = req.query.open === undefined ? undefined : req.query.open === 'true';
    const limit = Math.min(Math.max(Number(req.query.limit ?? 500) || 500, 1), 5000);
    const ticketId = typeof req.query.ticketId === 'string' ? req.query.ticketId : undefined;
    const list = await listAlerts(ctx.database.db, { open, ticketId, limit });
    res.json({ alerts: list.filter((a) => checkAlertVisible(user, a)).map(toAlertView) });
  });

  r.get('/alerts/:id', async (req, res) => {
    const user = authOf(res).user;
    const found = await readAlert(ctx.database.db, req.params.id);
    const members = found
      ? await listAlerts(ctx.database.db, { parentId: found.id, limit: 5000 })
      : [];
    if (!found || !checkAlertVisible(user, found))
      throw new HttpError('not_found', 'No such alert');
    res.json({ ...toAlertView(found), members: members.map(toAlertView) });
  });

  r.post('/alerts/:id/ack', async (req, res) => {
    const auth = authOf(res);
    const body = (req.body ?? {}) as { commandId?: unknown };
    // Without a commandId of the client's own, a random one: a predictable default could be
    // claimed by another user first. Acknowledging twice is harmless (the second finds it done).
    const commandId =
      typeof body.commandId === 'string' && body.commandId.length >= 8
        ? body.commandId
        : `ack-${randomUUID()}`;
    const ack = await ctx.commands.execute(actorFromUser(toPublicUser(auth.user)), {
      commandId,
      type: 'alert.ack',
      alertId: req.params.id,
    });
    if (!ack.ok) throw new HttpError(ack.error.code, ack.error.message);
    res.json(ack);
  });

  r.get('/escalation/policies', requireRole('admin', 'duty_manager'), async (_req, res) => {
    res.json({ policies: await engine().readPolicies() });
  });

  r.put('/escalation/policies', requireRole('admin'), async (req, res) => {
    const body: unknown = req.body;
    const raw = Array.isArray(body) ? body : (body as { policies?: unknown } | null)?.policies;
    const parsed = escalationPolicyListSchema.safeParse(raw);
    if (!parsed.success) {
      throw new HttpError(
        'invalid',
        'Invalid escalation policies',
        toFieldErrors(parsed.error.issues).map((f) => ({ ...f, path: `policies.${f.path}` })),
      );
    }
    await replaceStoredPolicies(
      ctx.database.db,
      parsed.data.map((p) => ({ id: p.id, body: p })),
      authOf(res).user.id,
      ctx.clock.now(),
    );
    res.json({ policies: parsed.data });
  });

  return r;
}
