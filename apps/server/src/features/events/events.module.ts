/** The event log feature: the audit key and the signed head checkpoints of this node. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import { startCheckpointer, type AuditKey, type Checkpointer } from './checkpoints';

export function createEventsModule(
  ctx: AppContext,
  deps: { auditKey: AuditKey },
): FeatureModule & { readonly checkpoints: () => Checkpointer } {
  let checkpointer: Checkpointer | null = null;
  return {
    name: 'events',
    checkpoints: () => {
      if (!checkpointer) throw new Error('the checkpointer starts with the server');
      return checkpointer;
    },
    onCommitted: (events) => checkpointer?.onCommitted(events),
    start() {
      checkpointer = startCheckpointer(ctx, deps.auditKey);
    },
    stop: () => checkpointer?.stop(),
  };
}
