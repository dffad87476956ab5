/**
 * The outbox's sender on one node (decision 38). A loop on the jobs helper claims due mails
 * under a lease (`FOR UPDATE SKIP LOCKED`, the database's clock, as the webhook dispatcher
 * does), renders each in its language with its links, sends it through nodemailer to
 * `DUTYDESK_SMTP_URL`, and saves the attempt (the log row) with the mail's new state while it
 * still holds the lease. A failure retries with exponential backoff (30 s doubling to 1 h, with
 * jitter); a recipient the server refuses for good (5xx on the address) fails at once; a mail
 * not sent within `DUTYDESK_MAIL_MAX_AGE_HOURS` is given up. Without an SMTP URL nothing is
 * sent: mails wait queued (and age out), the status read says so.
 *
 * Once-only: a mail is claimed by one node at a time and marked sent in the same statement that
 * checks the lease. A node dying between the SMTP server's acceptance and that save sends it
 * again after the lease (at least once); the Message-ID is the same on every attempt (made of
 * the dedupe key), so a mail client shows one message.
 */
import { createHash, randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { AppContext } from '../../context';
import { createBackgroundLoop } from '../../jobs/loop';
import type { MailLinks } from './links';
import {
  claimDueMails,
  expireMails,
  releaseMails,
  pruneMail,
  saveAttempt,
  type OutboxMail,
} from './mail.repo';
import {
  linksOf,
  mailLocaleSchema,
  mailTemplateSchema,
  renderMail,
  type RenderedMail,
} from './templates';

/** Mails one claim takes. */
const CLAIM = 10;
/** The lease on claimed mails: longer than a claim's sends can take (each at most ~40 s). */
const LEASE_MS = 5 * 60_000;
/** nodemailer's timeouts: connect, the greeting, and silence on the socket. */
const CONNECT_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 20_000;
const RETRY_FIRST_MS = 30_000;
const RETRY_MAX_MS = 3_600_000;
const KEEP_MS = 30 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 60 * 60_000;

/** When to try a mail again after its `attempt`-th failure (exponential with ±20 % jitter). */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** The Message-ID of a mail: the same on every attempt. */
export function messageIdOf(dedupeKey: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)/.exec(from)?.[1] ?? 'dutydesk.invalid';
  const hash = createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32);
  return `<${hash}@${domain}>`;
}

/** An SMTP error as logged and stored: no password, at most 500 characters. */
export function describeSmtpError(err: unknown, smtpUrl: string | undefined): string {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  let text = [e.code, e.responseCode, e.response ?? e.message].filter(Boolean).join(' ');
  if (!text) text = String(err);
  if (smtpUrl) {
    try {
      const pass = decodeURIComponent(new URL(smtpUrl).password);
      if (pass) text = text.split(pass).join('***');
    } catch {
      // not a URL: nothing to hide
    }
    text = text.split(smtpUrl).join('smtp://***');
  }
  return text.slice(0, 500);
}

/** A refusal that no retry changes: the server's 5xx on the recipient or the message. */
function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode;
  return code === 501 || code === 550 || code === 551 || code === 553 || code === 554;
}

export interface MailSender {
  start(): void;
  stop(): Promise<void>;
  /** Sends what is due now and waits for it (tests). Returns the mails attempted. */
  tick(): Promise<number>;
  /** Something was enqueued: send soon. */
  wake(): void;
  readonly configured: boolean;
}

export interface MailSenderOptions {
  intervalMs?: number;
  random?: () => number;
}

export function createMailSender(
  ctx: AppContext,
  links: () => MailLinks,
  options: MailSenderOptions = {},
): MailSender {
  const node = randomUUID();
  const { smtpUrl, from, maxAgeHours } = ctx.config.mail;
  const random = options.random ?? Math.random;
  const transport = smtpUrl
    ? nodemailer.createTransport({
        url: smtpUrl,
        connectionTimeout: CONNECT_TIMEOUT_MS,
        greetingTimeout: GREETING_TIMEOUT_MS,
        socketTimeout: SOCKET_TIMEOUT_MS,
      })
    : null;
  let lastPrune = 0;
  let stopping = false;

  async function render(mail: OutboxMail): Promise<RenderedMail> {
    const template = mailTemplateSchema.parse(mail.template);
    const locale = mailLocaleSchema.parse(mail.locale);
    const wants = linksOf(template);
    const l = links();
    const { ticketId, contactId, round } = mail.params;
    const out: { ticketLink?: string; surveyLink?: string } = {};
    if (template === 'survey.nps' && contactId && round)
      out.surveyLink = await l.npsLink(contactId, round);
    else if (ticketId) {
      if (template === 'staff.alert') out.ticketLink = l.staffTicketLink(ticketId);
      else if (wants.ticket && contactId) out.ticketLink = await l.ticketLink(ticketId, contactId);
      if (wants.survey && contactId) out.surveyLink = await l.surveyLink(ticketId, contactId);
    }
    return renderMail(template, locale, mail.params, out);
  }

  async function sendOne(mail: OutboxMail, owner: string): Promise<void> {
    if (!transport) return;
    const messageId = messageIdOf(mail.dedupeKey, from);
    const started = performance.now();
    let error: string | null = null;
    let permanent = false;
    try {
      const content = await render(mail);
      await transport.sendMail({
        from,
        to: mail.to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        messageId,
        headers: {
          // Machines (and Dutydesk's own mail intake) do not answer it: no loops.
          'Auto-Submitted': 'auto-generated',
          'X-Auto-Response-Suppress': 'All',
        },
      });
    } catch (err) {
      error = describeSmtpError(err, smtpUrl);
      permanent = isPermanent(err) || (err instanceof Error && err.name === 'ZodError');
    }
    const at = ctx.clock.now();
    const tooOld = at.getTime() - mail.createdAt.getTime() >= maxAgeHours * 3_600_000;
    const retryAt =
      error === null || permanent || tooOld
        ? null
        : new Date(at.getTime() + retryDelayMs(mail.attempts + 1, random));
    const kept = await saveAttempt(ctx.database.db, owner, mail, {
      outcome: error === null ? 'sent' : 'failed',
      messageId: error === null ? messageId : null,
      error,
      retryAt,
      at,
    });
    const seconds = (performance.now() - started) / 1000;
    if (error === null) {
      ctx.metrics.mailSent.inc({ template: mail.template });
      ctx.log.info({ to: mail.to, template: mail.template, messageId, seconds, kept }, 'mail sent');
    } else {
      ctx.metrics.mailFailed.inc({ final: retryAt === null ? 'true' : 'false' });
      ctx.log.warn(
        { to: mail.to, template: mail.template, attempt: mail.attempts + 1, error, retryAt },
        retryAt ? 'mail not sent: will retry' : 'mail not sent: given up',
      );
    }
  }

  async function runOnce(): Promise<number> {
    if (stopping) return 0;
    const db = ctx.database.db;
    const now = ctx.clock.now();
    if (now.getTime() - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now.getTime();
      await pruneMail(db, new Date(now.getTime() - KEEP_MS));
    }
    const expired = await expireMails(db, new Date(now.getTime() - maxAgeHours * 3_600_000));
    if (expired > 0) {
      ctx.metrics.mailFailed.inc({ final: 'true' }, expired);
      ctx.log.warn({ expired, maxAgeHours }, 'mails given up: not sent in time');
    }
    if (!transport) return 0;
    let attempted = 0;
    for (;;) {
      if (stopping) break;
      const owner = `${node}:${randomUUID()}`;
      const claimed = await claimDueMails(db, owner, ctx.clock.now(), LEASE_MS, CLAIM);
      for (const mail of claimed) {
        if (stopping) break;
        await sendOne(mail, owner);
        attempted += 1;
      }
      // Claimed but not sent (stopping): free at once for the next node or start.
      if (stopping) await releaseMails(db, owner);
      if (claimed.length < CLAIM) break;
    }
    return attempted;
  }

  const loop = createBackgroundLoop({
    name: 'mail',
    intervalMs: options.intervalMs ?? 2_000,
    run: runOnce,
    log: ctx.log,
  });

  return {
    start() {
      stopping = false;
      loop.start();
    },
    async stop() {
      stopping = true;
      await loop.stop();
      transport?.close();
    },
    tick: () => loop.tick(),
    wake() {
      loop.wake(20);
    },
    get configured() {
      return transport !== null;
    },
  };
}
