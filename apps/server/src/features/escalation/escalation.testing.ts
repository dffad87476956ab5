import type { Socket } from 'socket.io-client';
import { ADMIN_PASSWORD, type TestServer } from '../../testing/harness';

/** What the escalation tests start from: the admin signed in (its token returned) and group `l2`. */
export async function signInAndAddL2(server: TestServer): Promise<string> {
  const admin = await server.login('admin', ADMIN_PASSWORD);
  await server.api('POST', '/api/groups', {
    token: admin,
    body: { id: 'l2', name: 'L2', nameZh: '二线', tier: 2 },
  });
  return admin;
}

/** An `alert` push as a seat receives it. */
export interface PushedAlert {
  id: string;
  ticketId: string | null;
  kind: string;
  stepKey: string;
  level: number;
  count: number;
  status: string;
  recipientIds: string[];
  roles: string[];
  data: Record<string, unknown>;
}

/** Collects `alert` pushes of one socket and resolves waits without sleeping. */
export class AlertInbox {
  readonly alerts: PushedAlert[] = [];
  private waiters: Array<{
    check: (a: PushedAlert) => boolean;
    resolve: (a: PushedAlert) => void;
  }> = [];
  constructor(socket: Socket) {
    socket.on('alert', (a: PushedAlert) => {
      this.alerts.push(a);
      this.waiters = this.waiters.filter((w) => {
        if (!w.check(a)) return true;
        w.resolve(a);
        return false;
      });
    });
  }
  /** Resolves on the first alert passing `check`; fails after `timeoutMs` naming what it awaited. */
  next(
    check: (a: PushedAlert) => boolean,
    what = String(check),
    timeoutMs = 30_000,
  ): Promise<PushedAlert> {
    const hit = this.alerts.find(check);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no alert push in ${timeoutMs / 1000} s matching ${what}`)),
        timeoutMs,
      );
      this.waiters.push({
        check,
        resolve: (a) => {
          clearTimeout(timer);
          resolve(a);
        },
      });
    });
  }
}
