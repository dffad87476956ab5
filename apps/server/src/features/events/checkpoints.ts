import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import type { Logger } from '../../log';
import type { StoredEvent } from './events.repo';
import {
  insertCheckpoint,
  readHashAt,
  readHead,
  readLatestCheckpoint,
  type Checkpoint,
} from './checkpoints.repo';

export type { Checkpoint } from './checkpoints.repo';

/**
 * The key that signs checkpoints: Ed25519, so anyone holding the public key (an auditor, the
 * export file) can check a checkpoint and nobody without the private key can make one.
 */
export interface AuditKey {
  /** First 16 hex digits of sha256 of the public key (SPKI DER): names the key in each row. */
  keyId: string;
  publicKey: KeyObject;
  /** Null when only the public key is known (a verifier reading an export file). */
  privateKey: KeyObject | null;
}

function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** The public key in PEM (what an export carries). */
export function publicKeyPem(key: AuditKey): string {
  return key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** An audit key from a public key in PEM (an export file's), for verifying only. */
export function publicAuditKey(pem: string): AuditKey {
  const publicKey = createPublicKey(pem);
  return { keyId: keyIdOf(publicKey), publicKey, privateKey: null };
}

/**
 * Reads the server's checkpoint key (a PKCS#8 PEM file). With `create`, a missing file is
 * generated (mode 0600, never overwritten: two nodes starting at once both end up with the one
 * that was written first). Without it, a missing file gives null: a verifier must not invent a
 * key. The key is never logged; only its id is.
 */
export function loadAuditKey(file: string, opts: { create: boolean }): AuditKey | null {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !opts.create) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const { privateKey } = generateKeyPairSync('ed25519');
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
        mode: 0o600,
        flag: 'wx',
      });
    } catch (writeErr) {
      if ((writeErr as NodeJS.ErrnoException).code !== 'EEXIST') throw writeErr;
    }
    pem = readFileSync(file, 'utf8');
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`the audit key in ${file} is not an Ed25519 key`);
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), publicKey, privateKey };
}

/** The bytes a checkpoint's signature covers. */
export function checkpointMessage(c: Pick<Checkpoint, 'seq' | 'hash' | 'at'>): Buffer {
  return Buffer.from(`dutydesk-audit-checkpoint/1\n${c.seq}\n${c.hash}\n${c.at}`, 'utf8');
}

/** Signs the head `{ seq, hash }` at `at`. */
export function signCheckpoint(
  key: AuditKey,
  head: { seq: number; hash: string },
  at: Date,
): Checkpoint {
  if (!key.privateKey) throw new Error('this audit key has no private part: it cannot sign');
  const body = { seq: head.seq, hash: head.hash, at: at.toISOString() };
  const signature = sign(null, checkpointMessage(body), key.privateKey).toString('base64');
  return { ...body, keyId: key.keyId, signature };
}

/** Whether the checkpoint's signature is the given key's. */
export function verifyCheckpoint(key: AuditKey, c: Checkpoint): boolean {
  try {
    return verify(null, checkpointMessage(c), key.publicKey, Buffer.from(c.signature, 'base64'));
  } catch (_e) {
    return false;
  }
}

/** Makes a signed checkpoint of the head and stores it; null when the head is already signed. */
export interface Checkpointer {
  /** A checkpoint of the current head now (null: empty log, or nothing new since the last). */
  checkpoint(): Promise<Checkpoint | null>;
  /** Committed events on this node: counted towards the next checkpoint. */
  onCommitted(events: readonly StoredEvent[]): void;
  /** Stops the timer and checkpoints the head a last time. */
  stop(): Promise<void>;
}

/**
 * Checkpoints the head after every `auditCheckpointEvents` committed events (counted on this
 * node) and every `auditCheckpointMinutes`, whichever comes first, and once more at a stop.
 * Each checkpoint is stored in `audit_checkpoints` and written to the log output
 * (`msg: "audit checkpoint"`), so a copy lives outside the database. At start it compares the
 * head with the newest stored checkpoint and logs an error if the log was cut or re-chained.
 */
export function startCheckpointer(ctx: AppContext, key: AuditKey): Checkpointer {
  const { db } = ctx.database;
  let since = 0;
  let lastSeq = 0;
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const run = (): Promise<Checkpoint | null> => {
    const next = chain.then(async () => {
      const head = await readHead(db);
      if (!head || head.seq <= lastSeq) return null;
      const c = signCheckpoint(key, head, ctx.clock.now());
      await insertCheckpoint(db, c);
      lastSeq = head.seq;
      since = 0;
      ctx.log.info({ checkpoint: c }, 'audit checkpoint');
      return c;
    });
    chain = next.catch(() => {});
    return next;
  };
  const runQuietly = (): void => {
    run().catch((err: unknown) => ctx.log.warn({ err }, 'audit checkpoint failed'));
  };

  const listener = (list: readonly StoredEvent[]): void => {
    since += list.length;
    if (!stopped && since >= ctx.config.auditCheckpointEvents) {
      since = 0;
      runQuietly();
    }
  };
  const timer = setInterval(runQuietly, ctx.config.auditCheckpointMinutes * 60_000);
  timer.unref();
  // The first link of the chain: no checkpoint is signed before the head was compared with
  // the newest stored one (a cut log must not get a fresh signature over its cut head).
  chain = checkHeadAtStart(db, ctx.log, key)
    .then((latest) => {
      if (latest) lastSeq = Math.max(lastSeq, latest);
    })
    .catch((err: unknown) => ctx.log.warn({ err }, 'audit head check failed'));

  return {
    checkpoint: run,
    onCommitted: listener,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await run().catch((err: unknown) => ctx.log.warn({ err }, 'audit checkpoint at stop failed'));
    },
  };
}

/**
 * The start-up alarm: the log must reach the newest checkpoint with the same hash. Returns the
 * newest checkpoint's seq (nothing to sign again up to there).
 */
async function checkHeadAtStart(db: Db, log: Logger, key: AuditKey): Promise<number | null> {
  const latest = await readLatestCheckpoint(db);
  if (!latest) return null;
  const head = await readHead(db);
  const at = await readHashAt(db, latest.seq);
  if (!head || head.seq < latest.seq) {
    log.error(
      { checkpointSeq: latest.seq, headSeq: head?.seq ?? 0 },
      'audit: the event log ends before its latest signed checkpoint: events were deleted (run `pnpm dutydesk audit verify`)',
    );
  } else if (at !== latest.hash) {
    log.error(
      { checkpointSeq: latest.seq },
      'audit: the event log differs from its latest signed checkpoint: it was changed and re-chained (run `pnpm dutydesk audit verify`)',
    );
  } else if (latest.keyId === key.keyId && !verifyCheckpoint(key, latest)) {
    log.error(
      { checkpointSeq: latest.seq },
      'audit: the latest checkpoint is not signed by this server key (run `pnpm dutydesk audit verify`)',
    );
  }
  return latest.seq;
}
