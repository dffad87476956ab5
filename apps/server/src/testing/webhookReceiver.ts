import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request a test receiver got. */
export interface ReceivedRequest {
  /** `webhook-id`, `webhook-timestamp`, `webhook-signature` and the rest, lower-cased. */
  headers: Record<string, string>;
  body: string;
  /** What the receiver answered. */
  status: number;
  /** When it arrived (`performance.timeOrigin + performance.now()`, shared by every process). */
  receivedAt: number;
}

/** How the receiver answers a request: a status code (or a promise of one, to hold it). */
export type Respond = (req: ReceivedRequest) => number | Promise<number>;

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

/**
 * A webhook receiver on loopback for tests and benches: records every request, answers with
 * `respond` (200 by default), can go down (`close`: connections cut, port closed) and come
 * back on the same port (`reopen`). `waitFor` resolves when a condition on what it has holds,
 * without polling: each request re-checks the waiters.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  respond: Respond = () => 200;
  private server: Server;
  private waiters: Array<{ check: () => boolean; resolve: () => void }> = [];
  private boundPort = 0;

  private constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  /** Listens on 127.0.0.1 (a free port, or `port`). */
  static async start(port = 0): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await listen(receiver.server, port);
    receiver.boundPort = (receiver.server.address() as AddressInfo).port;
    return receiver;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** The requests answered 2xx (what the sender counts as delivered). */
  get delivered(): ReceivedRequest[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got: ReceivedRequest = {
        headers: headersOf(req),
        body: Buffer.concat(chunks).toString('utf8'),
        status: 0,
        receivedAt: performance.timeOrigin + performance.now(),
      };
      void Promise.resolve(this.respond(got)).then((status) => {
        got.status = status;
        this.requests.push(got);
        res.statusCode = status;
        res.end(status >= 200 && status < 300 ? 'ok' : 'no');
        this.notify();
      });
    });
  }

  private notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }

  /**
   * Verifies a request with `standardwebhooks` (signature and timestamp tolerance) and returns
   * its payload; throws `WebhookVerificationError` when it does not verify.
   */
  static verify(secret: string, r: ReceivedRequest): unknown {
    return new Webhook(secret).verify(r.body, r.headers);
  }

  /** Resolves once `check` holds (checked now and after each request); fails after `ms` naming `what`. */
  waitFor(check: () => boolean, what: string, ms = 60_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.check !== check);
        reject(
          new Error(
            `webhook receiver: no ${what} in ${ms / 1000} s (${this.requests.length} requests)`,
          ),
        );
      }, ms);
      this.waiters.push({
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Goes down: stops listening and cuts every connection (a sender sees connection refused). */
  async close(): Promise<void> {
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Comes back on the same port. */
  async reopen(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    await listen(server, this.port);
    this.server = server;
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
