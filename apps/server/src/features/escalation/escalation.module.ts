/** The escalation feature: the engine and its loop, `alert.ack`, the alerts REST API and the open alerts after a connect. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import type { DutyServer } from '../../realtime/io';
import { createAlertCommands } from './acknowledge';
import { createEscalationRouter } from './escalation.routes';
import { createEscalationEngine, type EscalationEngine } from './escalation.service';
import { createAlertsOnConnectHandler } from './escalation.socket';
import { escalationApi } from './escalation.openapi';

export function createEscalationModule(
  ctx: AppContext,
  deps: { io: () => DutyServer | undefined },
): FeatureModule & { readonly engine: EscalationEngine } {
  const engine = createEscalationEngine(ctx, deps.io);
  return {
    name: 'escalation',
    engine,
    http: [{ path: '/api', handler: createEscalationRouter(ctx, () => engine) }],
    openapi: escalationApi,
    afterResume: createAlertsOnConnectHandler(ctx),
    registerCommands: (bus) => bus.register(createAlertCommands(ctx)),
    onCommitted: (events) => engine.onCommitted(events),
    start: () => engine.start(),
    stop: () => engine.stop(),
  };
}
