/** What other features may use of the events feature (its module, events.module.ts, is composed by server.ts). */
export { loadAuditKey, type AuditKey, type Checkpointer } from './checkpoints';
export { asWireEvents, type StoredEvent } from './events.repo';
export { appendEvents, readCurrentSeq, readEventsAfter, toAppendRows } from './events.repo';
export type { NewEvent } from './events.repo';
