/** The attachments feature: the blob store, uploads and downloads, `ticket.attachment.add`, the retention job. */
import type { IncomingMessage } from 'node:http';
import type { AppContext } from '../../context';
import type { BackgroundLoop } from '../../jobs/loop';
import type { FeatureModule } from '../../modules';
import { createAttachmentCommands } from './attachments.commands';
import { attachmentsApi } from './attachments.openapi';
import { createAttachmentsRouter, isUploadRequest } from './attachments.routes';
import { join } from 'node:path';
import type { AttachmentsConfig } from '../../config';
import { createFolderBlobStore, type BlobStore } from './blobStore';
import { createS3BlobStore } from './s3BlobStore';
import { createRetentionLoop, type RetentionReport } from './retention';

export interface AttachmentsModule extends FeatureModule {
  readonly store: BlobStore;
  readonly retention: BackgroundLoop<RetentionReport>;
}

export function createAttachmentsModule(ctx: AppContext): AttachmentsModule {
  const store = createBlobStore(ctx.config.attachments);
  const retention = createRetentionLoop(ctx, store);
  return {
    name: 'attachments',
    store,
    retention,
    http: [{ path: '/api', handler: createAttachmentsRouter(ctx, store), readsOwnBody: true }],
    openapi: attachmentsApi,
    answersExpectContinue: (req: IncomingMessage) => isUploadRequest(req.method, req.url),
    registerCommands: (bus) => bus.register(createAttachmentCommands(ctx)),
    start() {
      retention.start();
    },
    async stop() {
      await retention.stop();
      store.close();
    },
  };
}

/** The store the configuration names: S3-compatible when `DUTYDESK_S3_BUCKET` is set, else the folder. */
export function createBlobStore(config: AttachmentsConfig): BlobStore {
  return config.s3
    ? createS3BlobStore(config.s3, join(config.blobDir, 'tmp'))
    : createFolderBlobStore(config.blobDir);
}
