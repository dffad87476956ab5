/** What other features may use of the attachments feature (its module, attachments.module.ts, is composed by server.ts). */
export type { BlobStore } from './blobStore';
export type { RetentionReport } from './retention';
export { attachServerFile, type ServerFile, type ServerFileOutcome } from './serverFile';
export { sendAttachment } from './attachments.routes';
