/**
 * What the e-mail intake reads off a parsed mail before it acts (pure: no IO, no clock):
 * whether to ignore it (auto-replies, bounces, our own mail coming back), its key in the
 * processed-mail table, the Message-IDs it answers and a ticket number in its subject.
 */
import { createHash } from 'node:crypto';

/** Why a mail is taken (the SMTP answer is 250) but has no effect. */
export type IgnoreReason = 'auto_reply' | 'bounce' | 'loop' | 'no_sender';

/** What {@link whyIgnore} reads of a mail. */
export interface MailFacts {
  /** Header values by lower-case name (mailparser's `headers`: strings, or `{ value }`). */
  headers: ReadonlyMap<string, unknown>;
  /** The From address, lower case; null when the mail has none. */
  from: string | null;
  /** The SMTP envelope sender (`MAIL FROM`): `''` is the null sender; undefined: not known (IMAP). */
  envelopeFrom?: string | null;
  /** The normalised Message-ID ({@link normaliseMessageId}), or null. */
  messageId: string | null;
}

/** A header's text (a structured one's `value`), lower case and trimmed; '' when absent. */
function headerText(headers: ReadonlyMap<string, unknown>, name: string): string {
  const v = headers.get(name);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v.trim().toLowerCase();
  if (typeof v === 'object' && 'value' in v)
    return String((v as { value: unknown }).value)
      .trim()
      .toLowerCase();
  if (Array.isArray(v)) return v.map(String).join(',').trim().toLowerCase();
  return String(v).trim().toLowerCase();
}

const BOUNCE_SENDERS = /^(mailer-daemon|postmaster|mail-daemon|mailer_daemon)@/;

/**
 * Why the intake ignores a mail, or null to take it (RFC 3834 and common practice):
 * - `auto_reply`: `Auto-Submitted` other than `no`, `X-Autoreply` / `X-Autorespond`,
 *   `Precedence: bulk | auto_reply | junk | list`;
 * - `bounce`: the null envelope sender, a From of MAILER-DAEMON or postmaster, or a delivery
 *   report (`multipart/report`);
 * - `loop`: a Message-ID in one of the desk's own domains (its outgoing mail coming back);
 * - `no_sender`: no From address to answer or to link a contact to.
 * @example whyIgnore({ headers: new Map([['auto-submitted', 'auto-replied']]), from: 'a@b.c', messageId: null }, []) // 'auto_reply'
 */
export function whyIgnore(facts: MailFacts, ownDomains: readonly string[]): IgnoreReason | null {
  const h = facts.headers;
  if (facts.envelopeFrom === '' || (facts.from !== null && BOUNCE_SENDERS.test(facts.from)))
    return 'bounce';
  if (headerText(h, 'content-type').startsWith('multipart/report')) return 'bounce';
  if (facts.messageId) {
    const domain = facts.messageId.slice(facts.messageId.lastIndexOf('@') + 1);
    if (ownDomains.includes(domain)) return 'loop';
  }
  const autoSubmitted = headerText(h, 'auto-submitted');
  if (autoSubmitted !== '' && autoSubmitted !== 'no') return 'auto_reply';
  if (h.has('x-autoreply') || h.has('x-autorespond')) return 'auto_reply';
  if (['bulk', 'auto_reply', 'junk', 'list'].includes(headerText(h, 'precedence')))
    return 'auto_reply';
  if (!facts.from) return 'no_sender';
  return null;
}

/** Longest Message-ID kept as a key; a longer one is keyed by its hash. */
const MAX_ID = 500;

/**
 * A Message-ID as the intake compares it: without angle brackets and spaces, lower case;
 * null when empty.
 * @example normaliseMessageId(' <AbC@Mail.Example> ') // 'abc@mail.example'
 */
export function normaliseMessageId(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const id = raw.trim().replace(/^<|>$/g, '').replace(/\s+/g, '').toLowerCase();
  return id === '' ? null : id;
}

/**
 * The mail's key in the processed-mail table: its Message-ID, or `sha256:<hex>` of the raw
 * bytes when it has none (or one too long to be a key).
 */
export function messageKey(messageId: string | null, raw: Buffer): string {
  if (messageId && messageId.length <= MAX_ID) return messageId;
  const basis = messageId ?? raw;
  return `sha256:${createHash('sha256').update(basis).digest('hex')}`;
}

/**
 * The Message-IDs a mail answers: `In-Reply-To` first, then `References` newest first,
 * normalised, without repeats, at most 50.
 */
export function referencedIds(
  inReplyTo: string | string[] | undefined,
  references: string | string[] | undefined,
): string[] {
  const split = (v: string | string[] | undefined): string[] =>
    (Array.isArray(v) ? v : v ? [v] : []).flatMap((s) => s.match(/<[^>]*>|[^\s<>]+/g) ?? []);
  const ids = [...split(inReplyTo), ...split(references).reverse()]
    .map(normaliseMessageId)
    .filter((x): x is string => x !== null && x.length <= MAX_ID);
  return [...new Set(ids)].slice(0, 50);
}

/**
 * The first ticket number in a subject (`Re: [INC-2026-000123] printer`), upper case, or null.
 * @example ticketNumberIn('Re: inc-2026-000123 still down') // 'INC-2026-000123'
 */
export function ticketNumberIn(subject: string | undefined): string | null {
  const m = /\b(INC|REQ|CMP|CON)-(\d{4})-(\d{6,12})\b/i.exec(subject ?? '');
  return m ? `${m[1]?.toUpperCase()}-${m[2]}-${m[3]}` : null;
}

/** A short, stable id of a key for commandIds (`mail:<40 hex>:…`, within the 100-character cap). */
export function keyDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 40);
}
