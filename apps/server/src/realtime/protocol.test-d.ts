/**
 * Type test of the socket protocol's event maps (checked by `tsc -b`, never run): the server
 * and a socket.io-client socket typed with the shared maps accept the right payloads and refuse
 * wrong ones. Each `@ts-expect-error` fails the build if the line it guards type-checks.
 */
import type {
  ClientToServerEvents,
  CommandAck,
  DeskMetrics,
  ServerMessage,
  ServerToClientEvents,
} from '@dutydesk/shared';
import type { Socket as ClientSocket } from 'socket.io-client';
import type { DutyServer, DutySocket } from './io';

declare const io: DutyServer;
declare const socket: DutySocket;
declare const client: ClientSocket<ServerToClientEvents, ClientToServerEvents>;
declare const metrics: DeskMetrics;

export function serverEmits(): void {
  io.to('room').emit('head', { seq: 1 });
  io.to('room').emit('wallboard.metrics', metrics);
  // @ts-expect-error head carries a number
  io.to('room').emit('head', { seq: '1' });
  // @ts-expect-error no such message
  io.emit('handover', {});
  // @ts-expect-error presence needs its viewers
  socket.emit('presence', { ticketId: 't1' });
  // @ts-expect-error an event is a stored event, not any object
  socket.emit('event', { seq: 1 });
}

export function clientEmits(): void {
  client.emit('sync', { after: 3 }, (ack) => {
    if (ack.ok) {
      const more: boolean = ack.more;
      void more;
    }
  });
  client.emit('presence.watch', { ticketId: 't1', typing: true });
  client.emit('timeline', { ticketId: 't1', log: 'executionLog' }, () => {});
  // @ts-expect-error sync needs `after`
  client.emit('sync', {}, () => {});
  // @ts-expect-error not a log
  client.emit('timeline', { ticketId: 't1', log: 'secrets' }, () => {});
  // @ts-expect-error presence.watch names a ticket
  client.emit('presence.watch', { typing: true });
  client.emit(
    'command',
    { type: 'ticket.accept', commandId: 'c-12345678', ticketId: 't1' },
    (ack: CommandAck) => void ack,
  );
  // @ts-expect-error not a command type
  client.emit('command', { type: 'ticket.explode', commandId: 'c-12345678' }, () => {});
}

export function clientListens(): void {
  client.on('hello', (hello) => {
    const v: number = hello.protocolVersion;
    void v;
  });
  client.on('alerts', ({ alerts }) => {
    const level: number | undefined = alerts[0]?.level;
    void level;
  });
  // @ts-expect-error hello's seq is a number
  client.on('hello', (hello: { seq: string }) => void hello);
}

/** The console's switch is exhaustive: a message type it does not handle fails here. */
export function exhaustive(message: ServerMessage): string {
  switch (message.type) {
    case 'hello':
    case 'snapshot':
    case 'event':
    case 'head':
    case 'presence':
    case 'alerts':
    case 'alert':
    case 'notification':
    case 'wallboard.metrics':
      return message.type;
    default: {
      const never: never = message;
      return never;
    }
  }
}
