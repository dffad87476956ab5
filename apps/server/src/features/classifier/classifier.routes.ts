import {
  classifierFeedbackSchema,
  classifyBatchRequestSchema,
  classifyRequestSchema,
  type ClassifierStatus,
  type ClassifyResponse,
} from '@dutydesk/shared';
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { authOf, denyDevices, requireAuth, requireRole } from '../../http/auth';
import { parseBody } from '../../http/body';
import { HttpError } from '../../http/errors';
import { insertFeedback, readFeedbackStats, readJob, readLastJob } from './classifier.repo';
import type { ClassifierService } from './classifier.service';

export const classifierJobParamsSchema = z.object({ id: z.uuid() });

/**
 * The classifier's routes: `GET /api/classifier` (staff), `POST /api/classifier/train` and
 * `GET /api/classifier/jobs/:id` (admins), `POST /api/classify` and `/api/classify/batch`
 * (staff), `POST /api/classifier/feedback` (staff: what the create dialog suggested and kept).
 */
export function createClassifierRouter(ctx: AppContext, service: ClassifierService): Router {
  const router = Router();
  const staff = [requireAuth(ctx), denyDevices];

  router.get('/classifier', ...staff, async (_req, res) => {
    const [model, lastJob, production] = await Promise.all([
      service.current(),
      readLastJob(ctx.database.db),
      readFeedbackStats(ctx.database.db),
    ]);
    const evaluation = model?.model.evaluation ?? {};
    const accuracy: ClassifierStatus['accuracy'] = {};
    const majority: ClassifierStatus['majority'] = {};
    for (const [field, e] of Object.entries(evaluation)) {
      accuracy[field as keyof typeof accuracy] = Math.round(e.accuracy * 10_000) / 10_000;
      majority[field as keyof typeof majority] = Math.round(e.majority * 10_000) / 10_000;
    }
    const body: ClassifierStatus = {
      version: model?.version ?? null,
      trainedAt: model?.trainedAt.toISOString() ?? null,
      examples: model?.examples ?? 0,
      bytes: model?.bytes ?? 0,
      accuracy,
      majority,
      production,
      lastJob,
    };
    res.json(body);
  });

  router.post('/classifier/train', requireAuth(ctx), requireRole('admin'), async (_req, res) => {
    const { jobId } = await service.train('admin');
    res.status(202).json({ jobId });
  });

  router.get('/classifier/jobs/:id', requireAuth(ctx), requireRole('admin'), async (req, res) => {
    const p = classifierJobParamsSchema.safeParse(req.params);
    const job = p.success ? await readJob(ctx.database.db, p.data.id) : null;
    if (!job) throw new HttpError('not_found', 'No such training job');
    res.json(job);
  });

  router.post('/classify', ...staff, async (req, res) => {
    const body = parseBody(classifyRequestSchema, req.body, 'classify request');
    const model = await service.current();
    const answer: ClassifyResponse = model
      ? {
          modelVersion: model.version,
          fields: service.classifyText(model, body.title, body.description),
        }
      : { modelVersion: null, fields: {} };
    res.json(answer);
  });

  router.post('/classify/batch', ...staff, async (req, res) => {
    const body = parseBody(classifyBatchRequestSchema, req.body, 'classify batch');
    const model = await service.current();
    res.json({
      modelVersion: model?.version ?? null,
      items: body.items.map((i) => ({
        fields: model ? service.classifyText(model, i.title, i.description) : {},
      })),
    });
  });

  router.post('/classifier/feedback', ...staff, async (req, res) => {
    const body = parseBody(classifierFeedbackSchema, req.body, 'classifier feedback');
    const actor = authOf(res).user;
    const at = ctx.clock.now();
    await insertFeedback(
      ctx.database.db,
      body.fields.map((f) => ({
        id: randomUUID(),
        ticketId: body.ticketId ?? null,
        field: f.field,
        suggested: f.suggested,
        confidence: f.confidence,
        kept: f.kept === '' ? null : f.kept,
        modelVersion: body.modelVersion,
        actorId: actor.id,
        at,
      })),
    );
    res.status(204).end();
  });
  return router;
}
