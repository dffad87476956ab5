import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** A local S3-compatible server (s3rver) on loopback, for the S3 blob store's tests. */
export interface LocalS3 {
  readonly endpoint: string;
  readonly bucket: string;
  /** The server's own folder (objects as files): tests count what it holds. */
  readonly directory: string;
  /** The server environment that points the blob store at it. */
  readonly env: Record<string, string>;
  /** Object files stored under the bucket (s3rver keeps `<key>._S3rver_object` files). */
  objectCount(): number;
  close(): Promise<void>;
}

function countObjects(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) n += countObjects(path);
    else if (name.endsWith('._S3rver_object')) n += 1;
  }
  return n;
}

/** Starts s3rver on a free loopback port with one empty bucket. */
export async function startLocalS3(bucket = 'dutydesk-test'): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'dutydesk-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    directory,
    env: {
      DUTYDESK_S3_ENDPOINT: endpoint,
      DUTYDESK_S3_BUCKET: bucket,
      DUTYDESK_S3_REGION: 'us-east-1',
      DUTYDESK_S3_FORCE_PATH_STYLE: 'true',
      // s3rver's fixed development credentials.
      DUTYDESK_S3_ACCESS_KEY_ID: 'S3RVER',
      DUTYDESK_S3_SECRET_ACCESS_KEY: 'S3RVER',
    },
    objectCount: () => countObjects(join(directory, bucket)),
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
