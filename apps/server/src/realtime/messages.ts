import {
  clientNoticeSchemas,
  clientRequestSchemas,
  makeError,
  toInvalidError,
  type AppError,
  type ClientNoticeName,
  type ClientRequestAck,
  type ClientRequestName,
} from '@dutydesk/shared';
import type { z } from 'zod';
import type { Logger } from '../log';
import type { DutySocket } from './io';

/**
 * What a request handler receives: the payload parsed with the protocol's schema. `command` is
 * passed on as sent: the command bus parses it (`parseCommand` names every bad field, whatever
 * the command type) and counts what it refuses.
 */
export type RequestInput<K extends ClientRequestName> = K extends 'command'
  ? unknown
  : z.output<(typeof clientRequestSchemas)[K]['payload']>;

export type NoticeInput<K extends ClientNoticeName> = z.output<(typeof clientNoticeSchemas)[K]>;

/**
 * Listens for one request on a socket, the one way every inbound request is handled: the
 * payload is parsed with the protocol's schema (a bad one is answered `invalid` with field
 * paths, and never reaches the handler), the handler's answer is the ack, and a handler that
 * throws is logged and answered `internal`. A request sent without an ack callback is dropped:
 * there is nobody to answer.
 */
export function onRequest<K extends ClientRequestName>(
  socket: DutySocket,
  log: Logger,
  name: K,
  handler: (input: RequestInput<K>) => Promise<ClientRequestAck<K>>,
): void {
  const listener = async (payload: unknown, ack: unknown): Promise<void> => {
    if (typeof ack !== 'function') return;
    const reply = ack as (answer: ClientRequestAck<K> | { ok: false; error: AppError }) => void;
    let input: unknown = payload;
    if (name !== 'command') {
      let parsed: ReturnType<z.ZodType['safeParse']>;
      try {
        parsed = clientRequestSchemas[name].payload.safeParse(payload ?? {});
      } catch {
        reply({ ok: false, error: makeError('invalid', `invalid ${name}: unreadable payload`) });
        return;
      }
      if (!parsed.success) {
        reply({ ok: false, error: toInvalidError(name, parsed.error.issues) });
        return;
      }
      input = parsed.data;
    }
    try {
      reply(await handler(input as RequestInput<K>));
    } catch (err) {
      log.error({ err, request: name }, `${name} failed`);
      reply({ ok: false, error: makeError('internal', 'Internal error') });
    }
  };
  socket.on(name, listener as never);
}

/**
 * Listens for one notice (no ack) on a socket: a payload that does not parse is dropped, and a
 * handler that throws is logged; neither reaches the client, which expects no answer.
 */
export function onNotice<K extends ClientNoticeName>(
  socket: DutySocket,
  log: Logger,
  name: K,
  handler: (input: NoticeInput<K>) => void | Promise<void>,
): void {
  const listener = async (payload: unknown): Promise<void> => {
    let parsed: ReturnType<z.ZodType['safeParse']>;
    try {
      parsed = clientNoticeSchemas[name].safeParse(payload ?? {});
    } catch {
      return;
    }
    if (!parsed.success) return;
    try {
      await handler(parsed.data as NoticeInput<K>);
    } catch (err) {
      log.error({ err, request: name }, `${name} failed`);
    }
  };
  socket.on(name, listener as never);
}
