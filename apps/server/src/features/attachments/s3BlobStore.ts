import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { S3StoreConfig } from '../../config';
import { BlobSpool, blobKey, type BlobStore } from './blobStore';

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

/**
 * Blobs in an S3-compatible bucket, shared by every node. Bytes are spooled to a local temp
 * file while hashed (the key is their digest, known only at the end), then sent with one
 * PutObject of known length: S3 makes an object visible only when its PUT completes, so no
 * partial blob is ever readable. An existing key is kept (same digest, same bytes).
 */
export function createS3BlobStore(config: S3StoreConfig, spoolDir: string): BlobStore {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials:
      config.accessKeyId && config.secretAccessKey
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : undefined,
    // Checksums only where the API requires them: S3-compatible stores (older MinIO, Ceph,
    // s3rver) do not all take the SDK's default trailing CRC32 on uploads. The digest in the
    // key is checked by the server on every read instead.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const keyOf = (sha256: string): string => `${config.prefix}${blobKey(sha256)}`;
  const has = async (sha256: string): Promise<boolean> => {
    try {
      await client.send(new HeadObjectCommand({ Bucket: config.bucket, Key: keyOf(sha256) }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  };
  return {
    kind: 's3',
    spool: () => new BlobSpool(spoolDir),
    async place(blob) {
      try {
        if (!(await has(blob.sha256))) {
          await client.send(
            new PutObjectCommand({
              Bucket: config.bucket,
              Key: keyOf(blob.sha256),
              Body: createReadStream(blob.path),
              ContentLength: blob.size,
              ContentType: 'application/octet-stream',
            }),
          );
        }
      } finally {
        await rm(blob.path, { force: true });
      }
    },
    has,
    async read(sha256) {
      try {
        const out = await client.send(
          new GetObjectCommand({ Bucket: config.bucket, Key: keyOf(sha256) }),
        );
        if (!out.Body) return null;
        return { stream: out.Body as Readable, size: Number(out.ContentLength ?? 0) };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    async delete(sha256) {
      await client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: keyOf(sha256) }));
    },
    close() {
      client.destroy();
    },
  };
}
