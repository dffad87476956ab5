import type { AppContext } from '../../context';
import { HttpError } from '../../http/errors';
import {
  deleteStaged,
  insertStaged,
  isBlobNeeded,
  lockBlob,
  type AttachmentRow,
} from './attachments.repo';
import type { BlobStore, SpooledBlob } from './blobStore';
import { rm } from 'node:fs/promises';

/**
 * Stages an upload: the row first (under the digest's lock, so the retention job cannot
 * decide meanwhile that the blob is unneeded), then the blob at its address. Once this
 * returns, the blob is stored for as long as the row is not purged.
 */
export async function stageUpload(
  ctx: AppContext,
  store: BlobStore,
  upload: Omit<AttachmentRow, 'attachedSeq' | 'purgedAt'> & { blob: SpooledBlob },
): Promise<void> {
  const { blob, ...row } = upload;
  try {
    await ctx.database.db.transaction(async (tx) => {
      await lockBlob(tx, row.sha256);
      await insertStaged(tx, row);
    });
  } catch (err) {
    await rm(blob.path, { force: true });
    throw err;
  }
  try {
    await store.place(blob);
  } catch (err) {
    ctx.log.error({ err, sha256: row.sha256, store: store.kind }, 'blob store refused an upload');
    await rm(blob.path, { force: true });
    await deleteStaged(ctx.database.db, row.id);
    throw new HttpError(
      'unavailable',
      'The file store is not reachable; nothing was stored, try again later',
    );
  }
}

/** Deletes a blob no row needs any more (under the digest's lock). Returns whether it did. */
export async function dropBlobIfUnneeded(
  ctx: AppContext,
  store: BlobStore,
  sha256: string,
  onDeleted?: (
    tx: Parameters<Parameters<AppContext['database']['db']['transaction']>[0]>[0],
  ) => Promise<void>,
): Promise<boolean> {
  return ctx.database.db.transaction(async (tx) => {
    await lockBlob(tx, sha256);
    if (await isBlobNeeded(tx, sha256)) return false;
    await store.delete(sha256);
    await onDeleted?.(tx);
    return true;
  });
}

/** Removes a staged upload whose command was refused or superseded: its row, and its blob if unshared. */
export async function unstage(
  ctx: AppContext,
  store: BlobStore,
  id: string,
  sha256: string,
): Promise<void> {
  await deleteStaged(ctx.database.db, id);
  await dropBlobIfUnneeded(ctx, store, sha256);
}
