/**
 * One delivery request: POST the signed body to the checked address (the connection is pinned
 * to it, with the URL's host name for TLS and `Host`), one timeout from connect to the last
 * byte read, the response body read to at most `MAX_RESPONSE_BYTES` and dropped. Redirects are
 * not followed: a 3xx is a failed delivery (a receiver gives its final URL).
 */
import { DeliveryOutcome } from '@dutydesk/shared';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { SERVER_VERSION } from '../../version';
import type { Target } from './address';

/** A receiver's answer is read to this many bytes at most, then the connection is dropped. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** How one request ended. */
export interface SendResult {
  outcome: DeliveryOutcome;
  httpStatus: number | null;
  durationMs: number;
  /** Why it failed, for the delivery log (never the response body or a header). */
  error: string | null;
}

// Keep-alive sockets: a reused socket is connected to an address that was checked when it
// was opened, so reuse cannot reach another address.
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 8 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 8 }),
};

/** A `lookup` that answers the checked address only (DNS rebinding cannot slip in). */
function pinnedLookup(target: Target): LookupFunction {
  return (_host, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(
        null,
        [{ address: target.address, family: target.family }],
      );
    else callback(null, target.address, target.family);
  };
}

/** POSTs `body` with `headers` to `url` at the pinned `target`. Never throws. */
export function postWebhook(
  url: URL,
  target: Target,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = (): number => Math.max(0, Math.round(performance.now() - started));
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<SendResult, 'durationMs'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, durationMs: elapsed() });
    };
    const secure = url.protocol === 'https:';
    const payload = Buffer.from(body, 'utf8');
    const req = (secure ? https : http).request({
      protocol: url.protocol,
      hostname: target.hostname,
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      lookup: pinnedLookup(target),
      // A literal address in the URL is connected to as such (Node skips `lookup` for it).
      ...(secure ? { servername: target.hostname } : {}),
      headers: {
        'content-type': 'application/json',
        'content-length': String(payload.length),
        'user-agent': `Dutydesk-Webhooks/${SERVER_VERSION}`,
        ...headers,
      },
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({
        outcome: DeliveryOutcome.timeout,
        httpStatus: null,
        error: `no complete answer in ${timeoutMs} ms`,
      });
    }, timeoutMs);
    timer.unref();
    req.on('error', (err: NodeJS.ErrnoException) => {
      finish({
        outcome: DeliveryOutcome.network,
        httpStatus: null,
        error: err.code ?? err.message.slice(0, 200),
      });
    });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        // Bounded: past the limit the connection goes (the answer's rest is not waited for).
        if (read > MAX_RESPONSE_BYTES) {
          res.destroy();
          done();
        }
      });
      const done = (): void => {
        if (status >= 200 && status < 300)
          finish({ outcome: DeliveryOutcome.delivered, httpStatus: status, error: null });
        else
          finish({
            outcome: DeliveryOutcome.httpError,
            httpStatus: status,
            error:
              status >= 300 && status < 400
                ? `answered ${status} (redirects are not followed)`
                : `answered ${status}`,
          });
      };
      res.on('end', done);
      res.on('error', () => done());
      res.on('close', () => done());
    });
    req.end(payload);
  });
}
