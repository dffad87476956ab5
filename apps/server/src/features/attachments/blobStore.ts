import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

/** Bytes spooled to a local temp file while they were hashed, not yet at their address. */
export interface SpooledBlob {
  readonly sha256: string;
  readonly size: number;
  /** The temp file (removed by `place` or `discard`). */
  readonly path: string;
}

/**
 * A write in progress: bytes go to a temp file in the store's spool folder and into a SHA-256
 * as they come. Nothing is visible at any blob address until `place`.
 */
export class BlobSpool {
  private readonly hash = createHash('sha256');
  private file: FileHandle | null = null;
  private opening: Promise<FileHandle> | null = null;
  private bytes = 0;
  private done = false;
  readonly path: string;

  constructor(dir: string) {
    this.path = join(dir, `${randomUUID()}.part`);
  }

  get size(): number {
    return this.bytes;
  }

  private async handle(): Promise<FileHandle> {
    if (this.file) return this.file;
    this.opening ??= (async () => {
      await mkdir(dirname(this.path), { recursive: true });
      // 'wx': a fresh file, never someone else's; 0600: the bytes are the customer's.
      this.file = await open(this.path, 'wx', 0o600);
      return this.file;
    })();
    return this.opening;
  }

  /** Appends a chunk (awaiting it is the backpressure). */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.done) throw new Error('the spool is finished');
    const fh = await this.handle();
    this.hash.update(chunk);
    this.bytes += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      const { bytesWritten } = await fh.write(chunk, offset, chunk.length - offset);
      offset += bytesWritten;
    }
  }

  /** Flushes the temp file to disk (fsync) and closes it: the bytes and their hash. */
  async finish(): Promise<SpooledBlob> {
    const fh = await this.handle();
    this.done = true;
    await fh.sync();
    await fh.close();
    this.file = null;
    return { sha256: this.hash.digest('hex'), size: this.bytes, path: this.path };
  }

  /** Closes and removes the temp file (a refused or failed upload leaves nothing). */
  async discard(): Promise<void> {
    this.done = true;
    const fh = this.file ?? (this.opening ? await this.opening.catch(() => null) : null);
    this.file = null;
    await fh?.close().catch(() => {});
    await rm(this.path, { force: true });
  }
}

/** A blob's bytes as read back. */
export interface BlobRead {
  stream: Readable;
  size: number;
}

/**
 * Where attachments' bytes live, addressed by their SHA-256 (decision 33): a folder by default,
 * any S3-compatible store when configured, so several nodes share one. Every operation is
 * idempotent: placing a blob that exists keeps the one there (same address, same bytes),
 * deleting one that is gone succeeds.
 */
export interface BlobStore {
  readonly kind: 'folder' | 's3';
  /** Starts a write into a temp file (the store's spool folder). */
  spool(): BlobSpool;
  /** Puts spooled bytes at their address and removes the temp file. */
  place(blob: SpooledBlob): Promise<void>;
  /** Whether a blob is stored. */
  has(sha256: string): Promise<boolean>;
  /** A stored blob's bytes, or null. */
  read(sha256: string): Promise<BlobRead | null>;
  delete(sha256: string): Promise<void>;
  /** Releases connections (S3). */
  close(): void;
}

/** A blob's key below the store's root: `sha256/ab/abcdef…`. */
export function blobKey(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256 digest');
  return `sha256/${sha256.slice(0, 2)}/${sha256}`;
}

async function fsyncDir(dir: string): Promise<void> {
  // A rename is durable once its folder is synced; some file systems refuse to open one.
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (_err) {
    // not supported here: the rename stands, its durability is the file system's
  }
}

/**
 * The default store: a folder (`DUTYDESK_BLOB_DIR`, default `blobs/` in the data folder).
 * Bytes are spooled to `tmp/`, fsynced, and renamed to `sha256/ab/<digest>` (one file system,
 * so the rename is atomic: a reader sees the whole blob or none).
 */
export function createFolderBlobStore(root: string): BlobStore {
  const tmp = join(root, 'tmp');
  const pathOf = (sha256: string): string => join(root, blobKey(sha256));
  return {
    kind: 'folder',
    spool: () => new BlobSpool(tmp),
    async place(blob) {
      const target = pathOf(blob.sha256);
      if (await exists(target)) {
        await unlink(blob.path).catch(() => {});
        return;
      }
      await mkdir(dirname(target), { recursive: true });
      await rename(blob.path, target);
      await fsyncDir(dirname(target));
    },
    has: (sha256) => exists(pathOf(sha256)),
    async read(sha256) {
      const path = pathOf(sha256);
      try {
        const s = await stat(path);
        return { stream: createReadStream(path), size: s.size };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async delete(sha256) {
      await rm(pathOf(sha256), { force: true });
    },
    close() {},
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
