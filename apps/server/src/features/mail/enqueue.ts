/**
 * `enqueueMail`: the one way a mail enters the outbox (decision 38), for this feature's own
 * rules and for other features (the intake's red-device mail to an operations lead). The dedupe
 * key names the mail's cause (`ticket:<id>:receipt:<contact>`, `event:<seq>:update`,
 * `device:<id>:<metric>:red:<ticket>`): a second call with the same key adds nothing, however
 * many times or on however many nodes the cause is processed. Given a transaction, the mail is
 * queued only if it commits.
 */
import { z } from 'zod';
import type { AppContext } from '../../context';
import type { Db, Tx } from '../../db/client';
import { insertMail } from './mail.repo';
import { mailTemplateSchema, pickLocale, type MailLocale, type MailTemplate } from './templates';

/** A mail to enqueue. `locale` is any language tag (a contact's): it is matched to a template language. */
export interface MailRequest {
  /** What the mail is about, once: at most 200 printable characters. */
  dedupeKey: string;
  /** One address. */
  to: string;
  template: MailTemplate;
  locale: string | null | undefined;
  /** The template's params (templates.ts `TEMPLATE_PARAMS`); strings, at most 50, 10 000 chars each. */
  params: Record<string, string>;
  /** When it was enqueued (default: the context's clock, or the wall clock with a transaction). */
  now?: Date;
}

export const mailRequestSchema = z.object({
  dedupeKey: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
  to: z.email().max(320),
  template: mailTemplateSchema,
  locale: z.string().max(35).nullable().optional(),
  params: z
    .record(z.string().max(64), z.string().max(10_000))
    .refine((p) => Object.keys(p).length <= 50, 'at most 50 params'),
  now: z.date().optional(),
});

/** Locale of mails whose recipient has none: the desk's (Chinese first). */
export const DEFAULT_MAIL_LOCALE: MailLocale = 'zh-CN';

const wakers = new WeakMap<object, () => void>();

/** The mail module registers its sender's wake-up for a context (so enqueueMail(ctx) sends soon). */
export function registerMailWaker(ctx: AppContext, wake: () => void): void {
  wakers.set(ctx, wake);
}

function isContext(x: AppContext | Db | Tx): x is AppContext {
  return typeof x === 'object' && x !== null && 'database' in x && 'clock' in x;
}

/**
 * Queues a mail unless its dedupe key is already in the outbox. Throws a ZodError for a
 * malformed request (a bad address, an unknown template). `{ enqueued: false }`: it was there.
 */
export async function enqueueMail(
  target: AppContext | Db | Tx,
  request: MailRequest,
): Promise<{ enqueued: boolean }> {
  const mail = mailRequestSchema.parse(request);
  const db = isContext(target) ? target.database.db : target;
  const now = mail.now ?? (isContext(target) ? target.clock.now() : new Date());
  const enqueued = await insertMail(
    db,
    {
      dedupeKey: mail.dedupeKey,
      to: mail.to,
      template: mail.template,
      locale: pickLocale(mail.locale, DEFAULT_MAIL_LOCALE),
      params: mail.params,
    },
    now,
  );
  if (enqueued && isContext(target)) wakers.get(target)?.();
  return { enqueued };
}
