/** What other features may use of the webhooks feature (its module, webhooks.module.ts, is composed by server.ts). */
export type { WebhookDispatcher } from './dispatcher';
export { readWebhookBacklog, type BacklogRow } from './webhooks.repo';
