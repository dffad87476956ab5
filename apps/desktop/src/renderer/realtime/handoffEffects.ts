import type { Host } from '../host/host';
import type { AppStore } from '../store/appStore';
import type { HandoffNotification } from './contract';
import { handoffNotificationSchema } from './contract';

/**
 * Takes a `notification` socket message: a handoff notice goes to the store (shown as a
 * toast) and, the first time it is seen, to the host as a native notification.
 */
export function receiveNotification(
  store: AppStore,
  host: Pick<Host, 'notify'> | null,
  raw: unknown,
  describe: (n: HandoffNotification) => string,
): void {
  const parsed = handoffNotificationSchema.safeParse(raw);
  if (!parsed.success) return;
  if (!store.getState().addHandoff(parsed.data)) return;
  host?.notify({
    title: describe(parsed.data),
    body: parsed.data.title,
    ticketId: parsed.data.ticketId,
  });
}
