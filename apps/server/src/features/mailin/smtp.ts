/**
 * The SMTP listener (`smtp-server`): the desk's mail exchanger, or the next hop of one, hands
 * mail to it (`DUTYDESK_SMTP_LISTEN`). A mail is answered 250 only once its ticket or comment
 * is stored; 451 (try again) when the desk could not store it now; 552 when it is larger than
 * `DUTYDESK_MAIL_MAX_BYTES`; 550 for a recipient domain not taken; 535 for a failed AUTH.
 */
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { format } from 'node:util';
import type { AppContext } from '../../context';
import type { MailIntake } from './intake';

export interface SmtpListener {
  /** The port it listens on (the configured one, or the free one picked for port 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** An SMTP error with its reply code (smtp-server answers `responseCode` and the message). */
function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

function sameSecret(a: string, b: string): boolean {
  // Equal-length digests: the comparison takes the same time whatever the guess.
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** Most recipients one mail may name (the rest are answered 452). */
const MAX_RECIPIENTS = 50;

/** Starts the listener on `DUTYDESK_SMTP_HOST:DUTYDESK_SMTP_LISTEN`. */
export async function startSmtpListener(
  ctx: AppContext,
  intake: MailIntake,
): Promise<SmtpListener> {
  const cfg = ctx.config.mailIn;
  const log = ctx.log.child({ component: 'smtp' });
  const maxBytes = cfg.maxBytes;
  const refuseSize = (session: SMTPServerSession, got: number | null): void => {
    ctx.metrics.mailRefused.inc({ source: 'smtp', reason: 'size' });
    log.warn(
      { remote: session.remoteAddress, bytes: got, maxBytes },
      'mail refused: larger than DUTYDESK_MAIL_MAX_BYTES (552)',
    );
  };
  // smtp-server refuses a MAIL FROM whose SIZE= is over the limit itself; its log line is how
  // that refusal is seen here (everything else it logs is dropped).
  const quiet = (): void => {};
  const logger = {
    trace: quiet,
    info: quiet,
    warn: quiet,
    error: quiet,
    fatal: quiet,
    debug: (...args: unknown[]) => {
      const [entry, ...rest] = args;
      const line = format(...(rest as [unknown, ...unknown[]]));
      if (/\b552\b.*exceeds fixed maximum message size/.test(line)) {
        const remote = (entry as { remoteAddress?: string } | undefined)?.remoteAddress;
        ctx.metrics.mailRefused.inc({ source: 'smtp', reason: 'size' });
        log.warn(
          { remote, maxBytes },
          'mail refused: its SIZE is larger than DUTYDESK_MAIL_MAX_BYTES (552)',
        );
      }
    },
    child() {
      return logger;
    },
  };

  const server = new SMTPServer({
    name: 'dutydesk',
    banner: 'Dutydesk mail intake',
    size: maxBytes,
    // TLS is the mail exchanger's in front (docs/integrations.md); AUTH only when configured.
    disabledCommands: cfg.smtpAuth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !cfg.smtpAuth,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    maxClients: 32,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    logger: logger as never,
    onAuth(auth, _session, callback) {
      const expected = cfg.smtpAuth;
      if (
        expected &&
        typeof auth.username === 'string' &&
        typeof auth.password === 'string' &&
        sameSecret(auth.username, expected.user) &&
        sameSecret(auth.password, expected.password)
      ) {
        callback(null, { user: 'mail' });
        return;
      }
      ctx.metrics.mailRefused.inc({ source: 'smtp', reason: 'auth' });
      log.warn('SMTP AUTH refused (535)');
      callback(smtpError(535, 'Authentication failed'));
    },
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) {
        callback(smtpError(452, 'Too many recipients'));
        return;
      }
      if (cfg.smtpDomains.length > 0 && !cfg.smtpDomains.includes(domainOf(address.address))) {
        ctx.metrics.mailRefused.inc({ source: 'smtp', reason: 'recipient' });
        log.warn(
          { remote: session.remoteAddress, domain: domainOf(address.address) },
          'mail refused: recipient domain not taken (550)',
        );
        callback(
          smtpError(550, 'Relay not permitted: this desk takes mail for its own domains only'),
        );
        return;
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        // Past the limit the rest is read and dropped (the client is answered after its final dot).
        if (bytes <= maxBytes) chunks.push(chunk);
      });
      stream.once('error', (err) => callback(err));
      stream.once('end', () => {
        if (stream.sizeExceeded || bytes > maxBytes) {
          refuseSize(session, bytes);
          callback(smtpError(552, `Message exceeds the maximum size of ${maxBytes} bytes`));
          return;
        }
        const mailFrom = session.envelope.mailFrom;
        const envelopeFrom = mailFrom === false ? undefined : mailFrom.address;
        intake.process(Buffer.concat(chunks), 'smtp', { from: envelopeFrom }).then(
          (outcome) => {
            if (outcome.kind === 'retry') {
              callback(smtpError(451, 'The desk cannot take this mail now; try again later'));
              return;
            }
            callback(
              null,
              outcome.kind === 'ignored'
                ? `Ignored (${outcome.reason})`
                : `Queued as ${outcome.number}`,
            );
          },
          (err: unknown) => {
            log.error({ err }, 'mail intake failed');
            callback(smtpError(451, 'The desk cannot take this mail now; try again later'));
          },
        );
      });
    },
  });
  server.on('error', (err) => log.warn({ err }, 'SMTP connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(cfg.smtpPort ?? 0, cfg.smtpHost, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  log.info({ host: cfg.smtpHost, port, maxBytes }, 'SMTP listener started');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
