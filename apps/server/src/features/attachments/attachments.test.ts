import { sql } from 'drizzle-orm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttachmentUploaded, Ticket } from '@dutydesk/shared';
import { queryRows } from '../../db/client';
import { ManualClock } from '../../clock';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../testing/harness';
import { startLocalS3, type LocalS3 } from '../../testing/s3';
import { TestSeat, type Ack } from '../../testing/seat';
import { tamperAuditLog } from '../../testing/tamper';
import { verifyAudit } from '../events/audit';

const PASSWORD = 'password-123';
/** The suite's upload limit: small, so a body past it is a bounded stream. */
const MAX_BYTES = 1024 * 1024;
const WAIT = 30_000;

/** A PNG's signature and random bytes after it (the desk sniffs the head, not the pixels). */
function fakePng(size: number): Buffer {
  const head = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([head, randomBytes(size - head.length)]);
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Files below a folder (recursively); a missing folder holds none. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function upload(
  server: TestServer,
  token: string,
  ticketId: string,
  file: Buffer,
  name: string,
  type: string,
  query = '',
): Promise<{ status: number; body: unknown }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file)], { type }), name);
  const res = await fetch(`${server.url}/api/tickets/${ticketId}/attachments${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

/** A raw request whose headers announce what the test wants; the body is what it writes. */
function rawUpload(
  server: TestServer,
  token: string,
  ticketId: string,
  headers: Record<string, string>,
  write: (req: ReturnType<typeof httpRequest>) => void,
): Promise<{
  status: number;
  body: { error?: { code: string; message: string } };
  continued: boolean;
}> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${server.url}/api/tickets/${ticketId}/attachments`);
    let continued = false;
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'multipart/form-data; boundary=XBOUNDARY',
          ...headers,
        },
      },
      (res: IncomingMessage) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as never, continued });
        });
      },
    );
    req.on('continue', () => {
      continued = true;
      write(req);
    });
    // A reset after the answer arrived is the server closing as it said it would.
    req.on('error', (err) => reject(err));
    if (!headers.expect) write(req);
  });
}

const PART_HEAD = Buffer.from(
  '--XBOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n',
);

type Store = 'folder' | 's3';

describe.each([
  ['pglite', 'folder'],
  ['pglite', 's3'],
  ['postgres', 'folder'],
  ['postgres', 's3'],
] as const)('attachments on %s with the %s store', (driver, storeKind: Store) => {
  let server: TestServer;
  let s3: LocalS3 | undefined;
  let admin: string;
  const tokens: Record<string, string> = {};
  let ticket: Ticket;

  /** Whatever the store holds: blob files (or objects) and temp files. */
  const stored = (): number =>
    storeKind === 's3'
      ? (s3 as LocalS3).objectCount() + filesUnder(server.ctx.config.attachments.blobDir).length
      : filesUnder(server.ctx.config.attachments.blobDir).length;
  const rows = async (): Promise<number> => {
    const r = await queryRows<{ n: string | number }>(
      server.ctx.database.db,
      sql`select count(*) as n from attachments`,
    );
    return Number(r[0]?.n ?? 0);
  };
  const command = async (token: string, body: Record<string, unknown>): Promise<Ack> => {
    const res = await server.api('POST', '/api/commands', {
      token,
      body: { commandId: randomUUID(), ...body },
    });
    return res.body as Ack;
  };

  beforeAll(async () => {
    s3 = storeKind === 's3' ? await startLocalS3() : undefined;
    server = await startTestServer({
      driver,
      env: { DUTYDESK_ATTACHMENT_MAX_BYTES: String(MAX_BYTES), ...(s3?.env ?? {}) },
    });
    expect(server.attachments.store.kind).toBe(storeKind);
    admin = await server.login('admin', ADMIN_PASSWORD);
    for (const g of [
      { id: 'l1', name: 'L1 desk', nameZh: '一线', tier: 1 },
      { id: 'l2', name: 'L2', nameZh: '二线', tier: 2 },
      { id: 'l3', name: 'L3', nameZh: '三线', tier: 3 },
    ])
      expect((await server.api('POST', '/api/groups', { token: admin, body: g })).status).toBe(201);
    for (const u of [
      { username: 'agent1', roles: ['agent'], groups: ['l1'] },
      { username: 'eng2', roles: ['engineer'], groups: ['l2'] },
      { username: 'eng3', roles: ['engineer'], groups: ['l3'] },
      { username: 'board', roles: ['wallboard'], groups: [] },
    ]) {
      const res = await server.api('POST', '/api/users', {
        token: admin,
        body: { ...u, password: PASSWORD, displayName: u.username },
      });
      expect(res.status).toBe(201);
      tokens[u.username] = await server.login(u.username, PASSWORD);
    }
    const created = await command(tokens.agent1 as string, {
      type: 'ticket.create',
      title: '打印机卡纸',
      description: 'screenshot follows',
      channel: 'hotline',
      priority: 'P2',
    });
    expect(created.ok, JSON.stringify(created)).toBe(true);
    const assigned = await command(admin, {
      type: 'ticket.assign',
      ticketId: created.ticket?.id,
      groupId: 'l2',
    });
    expect(assigned.ok, JSON.stringify(assigned)).toBe(true);
    ticket = assigned.ticket as Ticket;
  }, 120_000);

  afterAll(async () => {
    await server?.dispose();
    await s3?.close();
  });

  it(
    'refuses a 2 GB upload from its Content-Length before reading it: no 100 Continue, nothing written',
    async () => {
      const twoGb = String(2 * 1024 ** 3);
      const res = await rawUpload(
        server,
        tokens.agent1 as string,
        ticket.id,
        { 'content-length': twoGb, expect: '100-continue' },
        (req) => req.write(PART_HEAD),
      );
      expect(res.status).toBe(413);
      expect(res.continued).toBe(false);
      expect(res.body.error?.code).toBe('payload_too_large');
      expect(res.body.error?.message).toMatch(
        /larger than the limit of 1\.0 MiB.*2\.0 GiB.*nothing was stored/,
      );
      // Without Expect: the client starts sending; the answer comes at once all the same.
      const eager = await rawUpload(
        server,
        tokens.agent1 as string,
        ticket.id,
        { 'content-length': twoGb },
        (req) => req.write(Buffer.concat([PART_HEAD, randomBytes(64 * 1024)])),
      );
      expect(eager.status).toBe(413);
      expect(stored()).toBe(0);
      expect(await rows()).toBe(0);
    },
    WAIT,
  );

  it(
    'cuts off a body past the limit that declares no length (chunked), and leaves nothing',
    async () => {
      const res = await rawUpload(
        server,
        tokens.agent1 as string,
        ticket.id,
        { 'transfer-encoding': 'chunked' },
        (req) => {
          req.write(PART_HEAD);
          req.write(fakePng(64 * 1024));
          // Bounded: twice the limit, in 64 KiB chunks, stopped by the answer.
          let sent = 0;
          const more = (): void => {
            while (sent < 2 * MAX_BYTES && !req.destroyed) {
              sent += 64 * 1024;
              if (!req.write(randomBytes(64 * 1024))) {
                req.once('drain', more);
                return;
              }
            }
            if (!req.destroyed) req.end('\r\n--XBOUNDARY--\r\n');
          };
          more();
        },
      ).catch((err: unknown) => ({
        status: -1,
        body: { error: { code: String(err), message: '' } },
        continued: false,
      }));
      expect(res.status, JSON.stringify(res.body)).toBe(413);
      expect(res.body.error?.code).toBe('payload_too_large');
      expect(stored()).toBe(0);
      expect(await rows()).toBe(0);
    },
    WAIT,
  );

  it(
    'refuses a forbidden type by its content, whatever it is declared as',
    async () => {
      const exe = Buffer.concat([Buffer.from('MZ\x90\x00'), randomBytes(2000)]);
      const asPng = await upload(
        server,
        tokens.agent1 as string,
        ticket.id,
        exe,
        'photo.png',
        'image/png',
      );
      expect(asPng.status).toBe(415);
      expect(JSON.stringify(asPng.body)).toMatch(
        /application\/x-msdownload.*not the declared image\/png/,
      );
      const html = Buffer.from('<!DOCTYPE html><script>alert(1)</script>');
      const page = await upload(
        server,
        tokens.agent1 as string,
        ticket.id,
        html,
        'x.txt',
        'text/plain',
      );
      expect(page.status).toBe(415);
      expect(
        (page.body as { error: { fields: Array<{ path: string }> } }).error.fields[0]?.path,
      ).toBe('file');
      expect(stored()).toBe(0);
      expect(await rows()).toBe(0);
    },
    WAIT,
  );

  it(
    'authorises like the ticket: a wallboard and an engineer of another group may not attach',
    async () => {
      const png = fakePng(2000);
      const board = await upload(
        server,
        tokens.board as string,
        ticket.id,
        png,
        'a.png',
        'image/png',
      );
      expect(board.status).toBe(403);
      const other = await upload(
        server,
        tokens.eng3 as string,
        ticket.id,
        png,
        'a.png',
        'image/png',
      );
      expect(other.status).toBe(403);
      expect(JSON.stringify(other.body)).toMatch(/may not attach files to ticket/);
      const none = await upload(
        server,
        tokens.agent1 as string,
        'no-such-ticket',
        png,
        'a.png',
        'image/png',
      );
      expect(none.status).toBe(404);
      expect(stored()).toBe(0);
      expect(await rows()).toBe(0);
    },
    WAIT,
  );

  it('upload → another seat sees it live → the download is byte-identical; audit verify covers it', async () => {
    const watcher = await TestSeat.open(server, tokens.eng2 as string);
    const file = fakePng(300 * 1024);
    const res = await upload(
      server,
      tokens.agent1 as string,
      ticket.id,
      file,
      '截图 1.png',
      'image/png',
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const body = res.body as AttachmentUploaded;
    expect(body).toMatchObject({
      sha256: sha256(file),
      size: file.length,
      name: '截图 1.png',
      contentType: 'image/png',
    });
    // Live: the engineer's seat gets the event and its reducer lists the attachment.
    await watcher.waitForSeq(body.seq);
    const seen = watcher.tickets.get(ticket.id)?.attachments ?? [];
    expect(seen.map((a) => [a.id, a.sha256, a.name])).toEqual([[body.id, body.sha256, body.name]]);
    watcher.close();

    const list = await server.api('GET', `/api/tickets/${ticket.id}/attachments`, {
      token: tokens.eng3,
    });
    expect(
      (list.body as { attachments: Array<{ id: string }> }).attachments.map((a) => a.id),
    ).toEqual([body.id]);

    const download = await fetch(`${server.url}/api/attachments/${body.id}`, {
      headers: { authorization: `Bearer ${tokens.eng3 as string}` },
    });
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(sha256(bytes)).toBe(sha256(file));
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toBe(
      `inline; filename="__ 1.png"; filename*=UTF-8''${encodeURIComponent('截图 1.png')}`,
    );
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
    const device = await fetch(`${server.url}/api/attachments/${body.id}`, {
      headers: { authorization: `Bearer ${tokens.board as string}` },
    });
    expect(device.status).toBe(403);

    // The same bytes again are one blob (content-addressed), two attachments.
    const again = await upload(
      server,
      tokens.agent1 as string,
      ticket.id,
      file,
      'copy.png',
      'image/png',
    );
    expect(again.status).toBe(201);
    expect(stored()).toBe(1);
    expect(await rows()).toBe(2);

    // A text file downloads (attachment), sandboxed.
    const log = Buffer.from('2026-03-02 02:00 今晚数据库备份失败 error 809\n');
    const text = await upload(
      server,
      tokens.agent1 as string,
      ticket.id,
      log,
      'backup.log',
      'text/plain',
    );
    expect(text.status).toBe(201);
    const got = await fetch(
      `${server.url}/api/attachments/${(text.body as AttachmentUploaded).id}`,
      {
        headers: { authorization: `Bearer ${tokens.agent1 as string}` },
      },
    );
    expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await got.arrayBuffer()).equals(log)).toBe(true);

    // audit verify: intact, then each kind of tampering with the attachment is found.
    const db = server.ctx.database.db;
    expect((await verifyAudit(db)).problems).toEqual([]);
    await db.execute(sql`update attachments set sha256 = ${'0'.repeat(64)} where id = ${body.id}`);
    const rowTampered = await verifyAudit(db);
    expect(rowTampered.ok).toBe(false);
    expect(rowTampered.problems.map((p) => [p.kind, p.seq])).toContainEqual([
      'attachment_row',
      body.seq,
    ]);
    expect(rowTampered.problems.find((p) => p.kind === 'attachment_row')?.message).toMatch(
      /sha256/,
    );
    await db.execute(sql`update attachments set sha256 = ${body.sha256} where id = ${body.id}`);
    await tamperAuditLog(db, [
      sql`update events set data = jsonb_set(data, '{name}', '"harmless.png"') where seq = ${body.seq}`,
    ]);
    const eventTampered = await verifyAudit(db);
    expect(eventTampered.ok).toBe(false);
    expect(eventTampered.problems.map((p) => p.kind)).toContain('chain');
    expect(eventTampered.problems.find((p) => p.kind === 'chain')?.seq).toBe(body.seq);
  }, 60_000);

  it(
    "refuses to attach an upload by command that is not the sender's own",
    async () => {
      const [row] = await queryRows<{ id: string; sha256: string; size: string | number }>(
        server.ctx.database.db,
        sql`select id, sha256, size from attachments order by created_at limit 1`,
      );
      const ack = await command(admin, {
        type: 'ticket.attachment.add',
        ticketId: ticket.id,
        attachmentId: row?.id,
        name: 'stolen.png',
        contentType: 'image/png',
        size: Number(row?.size),
        sha256: row?.sha256,
      });
      expect(ack.ok).toBe(false);
      expect(ack.error?.code).toBe('not_found');
    },
    WAIT,
  );
});

describe('the console CSP and attachment previews', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite' });
  }, 120_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it(
    'allows blob: images and frames for the preview, and nothing else new',
    async () => {
      const res = await server.api('GET', '/healthz');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("img-src 'self' data: blob:");
      expect(csp).toContain('frame-src blob:');
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toMatch(/frame-src[^;]*(\*|'self'|https?:)/);
    },
    WAIT,
  );
});

describe('attachment retention', () => {
  let server: TestServer;
  const clock = new ManualClock('2026-03-02T02:00:00Z');
  const YEAR = 365 * 86_400_000;

  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite', clock });
  }, 120_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('deletes the bytes 5 years after closure (fake clock), records attachment.purged, keeps the metadata', async () => {
    const login = await server.api('POST', '/api/auth/login', {
      body: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const { token: admin, user } = login.body as { token: string; user: { id: string } };
    expect(
      (
        await server.api('POST', '/api/groups', {
          token: admin,
          body: { id: 'l1', name: 'L1 desk', nameZh: '一线', tier: 1 },
        })
      ).status,
    ).toBe(201);
    const seat = await TestSeat.open(server, admin);
    const ok = async (body: Record<string, unknown>): Promise<Ticket> => {
      const ack = await seat.command(body);
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
      return ack.ticket as Ticket;
    };
    const t = await ok({
      type: 'ticket.create',
      title: 'form',
      description: '',
      channel: 'portal',
    });
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(4000)]);
    const res = await upload(server, admin, t.id, pdf, 'acceptance.pdf', 'application/pdf');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const att = res.body as AttachmentUploaded;
    const inline = await fetch(`${server.url}/api/attachments/${att.id}`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(inline.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(inline.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
    );
    await inline.arrayBuffer();

    await ok({ type: 'ticket.classify', ticketId: t.id, category: 'forms' });
    await ok({ type: 'ticket.assign', ticketId: t.id, groupId: 'l1', assigneeId: user.id });
    await ok({ type: 'ticket.accept', ticketId: t.id });
    await ok({ type: 'ticket.resolve', ticketId: t.id, code: 'done', summary: 'signed' });
    await ok({ type: 'ticket.followUp', ticketId: t.id, outcome: 'satisfied' });
    const closed = await ok({ type: 'ticket.close', ticketId: t.id });
    expect(closed.closedAt).toBe(clock.now().toISOString());
    const blobs = (): number => filesUnder(server.ctx.config.attachments.blobDir).length;
    expect(blobs()).toBe(1);

    clock.advance(4 * YEAR);
    expect(await server.attachments.retention.tick()).toEqual({
      purged: 0,
      staleUploads: 0,
      blobsDeleted: 0,
    });
    expect(blobs()).toBe(1);

    clock.advance(1 * YEAR + 2 * 86_400_000);
    expect(await server.attachments.retention.tick()).toEqual({
      purged: 1,
      staleUploads: 0,
      blobsDeleted: 1,
    });
    expect(blobs()).toBe(0);
    // The seat follows: the attachment is still listed, marked purged, and the log says why.
    // (Five years on, the morning's session has long expired: sign in again.)
    const later = await server.login('admin', ADMIN_PASSWORD);
    const events = await server.api('GET', `/api/events?after=${closed.lastSeq}`, { token: later });
    const purged = (
      events.body as { events: Array<{ type: string; seq: number; data: unknown }> }
    ).events.find((e) => e.type === 'attachment.purged');
    expect(purged?.data).toMatchObject({
      attachmentId: att.id,
      sha256: att.sha256,
      reason: 'retention',
    });
    await seat.waitForSeq(purged?.seq ?? Number.MAX_SAFE_INTEGER);
    const held = seat.tickets.get(t.id);
    expect(held?.attachments?.[0]?.purgedAt).toBe(clock.now().toISOString());
    expect(held?.version).toBe(closed.version);
    const gone = await server.api('GET', `/api/attachments/${att.id}`, { token: later });
    expect(gone.status).toBe(410);
    expect(JSON.stringify(gone.body)).toMatch(/retention policy/);
    expect((await verifyAudit(server.ctx.database.db)).problems).toEqual([]);
    // A second run finds nothing left to do.
    expect((await server.attachments.retention.tick()).purged).toBe(0);
    seat.close();
  }, 60_000);
});
