/**
 * A local SMTP server for tests (the `smtp-server` package) on loopback: it accepts every
 * message (with or without AUTH), parses it with `mailparser`, and keeps it. `stop()` closes the
 * port (senders then get ECONNREFUSED) and `start()` opens the same port again, so a test can
 * take the mail server away and bring it back. `waitFor` resolves on the first message a
 * predicate accepts, or rejects after `timeoutMs` saying what it waited for.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';

export interface SunkMail {
  /** The envelope's recipients (RCPT TO). */
  rcptTo: string[];
  mailFrom: string;
  /** The AUTH user, if the client signed in. */
  user: string | null;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Map<string, unknown>;
  parsed: ParsedMail;
}

export interface SmtpSinkOptions {
  /** Require AUTH with these credentials (refused otherwise). */
  auth?: { user: string; pass: string };
}

export class SmtpSink {
  readonly messages: SunkMail[] = [];
  private server: SMTPServer | null = null;
  private waiters: Array<{ test: (m: SunkMail) => boolean; resolve: (m: SunkMail) => void }> = [];
  private constructor(
    private readonly options: SmtpSinkOptions,
    private portNumber: number,
  ) {}

  /** Starts a sink on a free loopback port. */
  static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
    const sink = new SmtpSink(options, 0);
    await sink.start();
    return sink;
  }

  get port(): number {
    return this.portNumber;
  }

  /** `smtp://[user:pass@]127.0.0.1:<port>` for DUTYDESK_SMTP_URL. */
  get url(): string {
    const a = this.options.auth;
    const cred = a ? `${encodeURIComponent(a.user)}:${encodeURIComponent(a.pass)}@` : '';
    return `smtp://${cred}127.0.0.1:${this.portNumber}`;
  }

  get listening(): boolean {
    return this.server !== null;
  }

  /** Listens (again, on the same port after a stop). */
  async start(): Promise<void> {
    if (this.server) return;
    const auth = this.options.auth;
    const server = new SMTPServer({
      secure: false,
      disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      allowInsecureAuth: true,
      authOptional: !auth,
      logger: false,
      size: 10 * 1024 * 1024,
      onAuth(a, _session, cb) {
        if (auth && a.username === auth.user && a.password === auth.pass)
          cb(null, { user: a.username });
        else cb(new Error('Invalid username or password'));
      },
      onData: (stream, session, cb) => {
        simpleParser(stream)
          .then((parsed) => {
            const mail: SunkMail = {
              rcptTo: session.envelope.rcptTo.map((r) => r.address),
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              user: typeof session.user === 'string' ? session.user : null,
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              messageId: parsed.messageId ?? '',
              headers: parsed.headers,
              parsed,
            };
            this.messages.push(mail);
            for (const w of [...this.waiters])
              if (w.test(mail)) {
                this.waiters.splice(this.waiters.indexOf(w), 1);
                w.resolve(mail);
              }
            cb();
          })
          .catch((err: unknown) => cb(err as Error));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.portNumber, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.portNumber = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Closes the port; messages already received stay. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The messages a predicate accepts (so far). */
  filter(test: (m: SunkMail) => boolean): SunkMail[] {
    return this.messages.filter(test);
  }

  /** The first message (already here or to come) a predicate accepts. */
  waitFor(
    test: (m: SunkMail) => boolean,
    opts: { timeoutMs?: number; what?: string } = {},
  ): Promise<SunkMail> {
    const found = this.messages.find(test);
    if (found) return Promise.resolve(found);
    const timeoutMs = opts.timeoutMs ?? 30_000;
    return new Promise<SunkMail>((resolve, reject) => {
      const waiter = {
        test,
        resolve: (m: SunkMail) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(
          new Error(
            `SMTP sink: no message ${opts.what ?? 'matching'} within ${timeoutMs} ms (${this.messages.length} received: ${this.messages.map((m) => m.subject).join(' | ')})`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  async close(): Promise<void> {
    await this.stop();
  }
}

/**
 * Sends `count` plain mails straight through nodemailer to an SMTP URL, one after the other (the
 * mail bench's baseline: the same SMTP work without the outbox). Returns each send's time (ms).
 */
export async function sendDirect(url: string, count: number, to: string): Promise<number[]> {
  const transport = nodemailer.createTransport({ url });
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const started = performance.now();
      await transport.sendMail({
        from: 'bench@dutydesk.test',
        to,
        subject: `direct ${i}`,
        text: `direct ${i}`,
      });
      times.push(performance.now() - started);
    }
  } finally {
    transport.close();
  }
  return times;
}
