import { z } from 'zod';
import { instantSchema } from './ticket';

/**
 * `GET /api/mail/status` (admins; decision 38): whether outgoing mail is configured
 * (`DUTYDESK_SMTP_URL`), the outbox's counts and the last failure. Never the SMTP URL's
 * credentials: only its host and port.
 */
export const mailStatusSchema = z.object({
  configured: z.boolean(),
  /** `host:port` of the SMTP server, or null when not configured. */
  smtpServer: z.string().nullable(),
  /** The From header mails carry. */
  from: z.string(),
  /** Mails waiting to be sent (new or retrying). */
  queued: z.number().int().min(0),
  /** Mails sent (the last 30 days). */
  sent: z.number().int().min(0),
  /** Mails given up: refused for good, or not sent in time (the last 30 days). */
  failed: z.number().int().min(0),
  lastError: z.string().nullable(),
  lastErrorAt: instantSchema.nullable(),
  lastSentAt: instantSchema.nullable(),
});
export type MailStatus = z.infer<typeof mailStatusSchema>;
