import hoodiecrow from 'hoodiecrow-imap';
import { ImapFlow } from 'imapflow';
import type { AddressInfo } from 'node:net';

/** A local IMAP server (hoodiecrow-imap: in memory, one account) on loopback, for the IMAP intake's tests. */
export interface LocalImap {
  readonly port: number;
  /** `DUTYDESK_IMAP_URL` for its INBOX. */
  readonly url: string;
  /** Puts a raw mail into a mailbox, unseen. */
  append(raw: string | Buffer, mailbox?: string): Promise<void>;
  /** The flags of every mail in a mailbox (by UID). */
  flags(mailbox?: string): Promise<Array<{ uid: number; flags: string[] }>>;
  close(): Promise<void>;
}

const USER = 'desk';
const PASSWORD = 'imap-password-1';

export async function startLocalImap(): Promise<LocalImap> {
  const server = hoodiecrow({
    plugins: ['ID', 'UNSELECT', 'ENABLE', 'UIDPLUS', 'MOVE', 'SPECIAL-USE', 'LITERALPLUS'],
    storage: { INBOX: { messages: [] }, Imported: { messages: [] } },
    users: { [USER]: { password: PASSWORD } },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const client = async (): Promise<ImapFlow> => {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      auth: { user: USER, pass: PASSWORD },
      logger: false,
      disableAutoIdle: true,
    });
    await c.connect();
    return c;
  };
  return {
    port,
    url: `imap://${USER}:${PASSWORD}@127.0.0.1:${port}/INBOX`,
    async append(raw, mailbox = 'INBOX') {
      const c = await client();
      try {
        await c.append(mailbox, raw, []);
      } finally {
        await c.logout();
      }
    },
    async flags(mailbox = 'INBOX') {
      const c = await client();
      try {
        const lock = await c.getMailboxLock(mailbox);
        try {
          const out: Array<{ uid: number; flags: string[] }> = [];
          const status = await c.status(mailbox, { messages: true });
          if (!status || !status.messages) return out;
          for await (const m of c.fetch('1:*', { uid: true, flags: true })) {
            out.push({ uid: m.uid, flags: [...(m.flags ?? [])] });
          }
          return out;
        } finally {
          lock.release();
        }
      } finally {
        await c.logout();
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
