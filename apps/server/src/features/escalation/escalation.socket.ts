import type { AppContext } from '../../context';
import type { ConnectionHandler } from '../../realtime/io';
import { listAlerts } from './escalation.repo';
import { checkAlertVisible, toAlertView } from './alertView';

/**
 * On connect, after the replay: `alerts { alerts }`, the open alerts this seat may see, so a
 * duty manager who was offline (or a first connect that got a snapshot) has every prompt.
 */
export function createAlertsOnConnectHandler(ctx: AppContext): ConnectionHandler {
  return async (socket) => {
    const user = socket.data.user;
    if (user.roles.every((r) => r === 'wallboard')) return;
    const open = await listAlerts(ctx.database.db, { open: true, limit: 1000 });
    socket.emit('alerts', {
      alerts: open.filter((a) => checkAlertVisible(user, a)).map(toAlertView),
    });
  };
}
