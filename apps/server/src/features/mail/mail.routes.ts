import type { MailStatus } from '@dutydesk/shared';
import { Router } from 'express';
import type { AppContext } from '../../context';
import { requireAuth, requireRole } from '../../http/auth';
import { readOutboxStats } from './mail.repo';

/** `host:port` of an SMTP URL (never its user or password). */
export function smtpServerOf(smtpUrl: string | undefined): string | null {
  if (!smtpUrl) return null;
  try {
    const url = new URL(smtpUrl);
    const port = url.port || (url.protocol === 'smtps:' ? '465' : '587');
    return `${url.hostname}:${port}`;
  } catch {
    return null;
  }
}

/** `GET /api/mail/status` (admins): configured or not, the outbox's depth, the last failure. */
export function createMailRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/mail/status', requireAuth(ctx), requireRole('admin'), async (_req, res) => {
    const stats = await readOutboxStats(ctx.database.db);
    const body: MailStatus = {
      configured: ctx.config.mail.smtpUrl !== undefined,
      smtpServer: smtpServerOf(ctx.config.mail.smtpUrl),
      from: ctx.config.mail.from,
      queued: stats.queued,
      sent: stats.sent,
      failed: stats.failed,
      lastError: stats.lastError,
      lastErrorAt: stats.lastErrorAt?.toISOString() ?? null,
      lastSentAt: stats.lastSentAt?.toISOString() ?? null,
    };
    res.json(body);
  });
  return router;
}
