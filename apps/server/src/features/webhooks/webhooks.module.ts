/** The webhooks feature: subscriptions over REST and the outbox's delivery on this node (decision 34). */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import type { EscalationEngine } from '../escalation';
import { createWebhookDispatcher, type WebhookDispatcher } from './dispatcher';
import { webhooksApi } from './webhooks.openapi';
import { createWebhooksRouter } from './webhooks.routes';

export function createWebhooksModule(
  ctx: AppContext,
  deps: { escalation: EscalationEngine },
): FeatureModule & { readonly dispatcher: WebhookDispatcher } {
  const dispatcher = createWebhookDispatcher(ctx, deps);
  return {
    name: 'webhooks',
    dispatcher,
    http: [{ path: '/api', handler: createWebhooksRouter(ctx, () => dispatcher) }],
    openapi: webhooksApi,
    onCommitted: (events) => dispatcher.onCommitted(events),
    start: () => dispatcher.start(),
    stop: () => dispatcher.stop(),
  };
}
