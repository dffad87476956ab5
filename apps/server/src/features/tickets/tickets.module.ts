/** The tickets feature: REST, the seat's commands, sync and timeline, presence, handoff notices, the head beacon. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import type { EventFanout } from '../../realtime/fanout';
import type { DutyServer } from '../../realtime/io';
import { createGroupCommit } from './groupCommit';
import { createHandoffNotifier } from './handoff';
import { createTicketCommands } from './tickets.commands';
import { createTicketsRouter } from './tickets.routes';
import { createTicketSocketHandler, startHeadBeacon } from './tickets.socket';
import { ticketsApi } from './tickets.openapi';

export function createTicketsModule(
  ctx: AppContext,
  deps: {
    io: () => DutyServer;
    /** The socket server once it runs, else undefined (events committed while seeding). */
    ioIfStarted: () => DutyServer | undefined;
    fanout: () => EventFanout;
    inflight: { enter(): void; leave(): void };
  },
): FeatureModule {
  const notifyHandoff = createHandoffNotifier(ctx, deps.ioIfStarted);
  let stopHead: (() => void) | null = null;
  return {
    name: 'tickets',
    http: [{ path: '/api', handler: createTicketsRouter(ctx) }],
    openapi: ticketsApi,
    socket: createTicketSocketHandler(ctx, deps.io, deps.inflight),
    registerCommands: (bus) =>
      bus.register(
        createTicketCommands(ctx, ctx.config.groupCommit ? createGroupCommit(ctx) : undefined),
      ),
    onCommitted: notifyHandoff,
    start() {
      const fanout = deps.fanout();
      stopHead = startHeadBeacon(ctx, deps.io(), (after, upTo) => fanout.deliveredAll(after, upTo));
    },
    stop() {
      stopHead?.();
      stopHead = null;
    },
  };
}
