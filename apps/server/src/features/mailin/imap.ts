/**
 * IMAP polling (`imapflow`), for a desk whose mail waits in a mailbox (`DUTYDESK_IMAP_URL`):
 * every `DUTYDESK_IMAP_POLL_SECONDS` the unseen mails are fetched, taken in, and marked seen
 * (or moved to `DUTYDESK_IMAP_MOVE_TO`). A mail the desk could not take now stays unseen for
 * the next poll; one over `DUTYDESK_MAIL_MAX_BYTES` is not fetched: it is flagged, marked seen
 * and left in the mailbox, its refusal logged.
 */
import { ImapFlow } from 'imapflow';
import type { AppContext } from '../../context';
import { createBackgroundLoop, type BackgroundLoop } from '../../jobs/loop';
import type { MailIntake } from './intake';

/** What one poll did. */
export interface ImapPollReport {
  fetched: number;
  taken: number;
  ignored: number;
  refused: number;
  retried: number;
}

/** Mails one poll takes at most (the rest wait for the next). */
export const IMAP_BATCH = 100;

interface ImapTarget {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
}

/** Reads `imap[s]://user:password@host[:port][/mailbox]` (user and password percent-decoded). */
export function parseImapUrl(raw: string): ImapTarget {
  const url = new URL(raw);
  const secure = url.protocol === 'imaps:';
  const mailbox = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(url.username),
    pass: decodeURIComponent(url.password),
    mailbox,
  };
}

export function createImapPoller(
  ctx: AppContext,
  intake: MailIntake,
): BackgroundLoop<ImapPollReport> {
  const cfg = ctx.config.mailIn;
  const log = ctx.log.child({ component: 'imap' });
  const target = parseImapUrl(cfg.imapUrl as string);

  async function poll(): Promise<ImapPollReport> {
    const report: ImapPollReport = { fetched: 0, taken: 0, ignored: 0, refused: 0, retried: 0 };
    const client = new ImapFlow({
      host: target.host,
      port: target.port,
      secure: target.secure,
      auth: { user: target.user, pass: target.pass },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: 30_000,
      greetingTimeout: 15_000,
      socketTimeout: 120_000,
    });
    client.on('error', (err: unknown) => log.warn({ err }, 'IMAP connection error'));
    await client.connect();
    try {
      const lock = await client.getMailboxLock(target.mailbox);
      try {
        const found = await client.search({ seen: false }, { uid: true });
        const uids = (found || []).slice(0, IMAP_BATCH);
        for (const uid of uids) {
          const range = String(uid);
          const meta = await client.fetchOne(range, { size: true }, { uid: true });
          const size = meta ? (meta.size ?? 0) : 0;
          if (size > cfg.maxBytes) {
            report.refused += 1;
            ctx.metrics.mailRefused.inc({ source: 'imap', reason: 'size' });
            log.warn(
              { uid, bytes: size, maxBytes: cfg.maxBytes },
              'mail refused: larger than DUTYDESK_MAIL_MAX_BYTES (flagged and left in the mailbox)',
            );
            await client.messageFlagsAdd(range, ['\\Seen', '\\Flagged'], { uid: true });
            continue;
          }
          const msg = await client.fetchOne(range, { source: true }, { uid: true });
          if (!msg || !msg.source) continue;
          report.fetched += 1;
          const outcome = await intake.process(msg.source, 'imap');
          if (outcome.kind === 'retry') {
            report.retried += 1;
            continue;
          }
          if (outcome.kind === 'ignored') report.ignored += 1;
          else report.taken += 1;
          if (cfg.imapMoveTo) {
            const moved = await client.messageMove(range, cfg.imapMoveTo, { uid: true });
            if (!moved) await client.messageFlagsAdd(range, ['\\Seen'], { uid: true });
          } else {
            await client.messageFlagsAdd(range, ['\\Seen'], { uid: true });
          }
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
    if (report.fetched + report.refused > 0) log.info(report, 'IMAP poll');
    return report;
  }

  return createBackgroundLoop({
    name: 'imap poll',
    intervalMs: cfg.imapPollMs,
    run: poll,
    log,
  });
}
