import { useCallback, useState } from 'react';
import { useServices } from '../../app/services';
import { ticketSchema } from '../../realtime/contract';
import type { CommandInput, Ticket } from '../../realtime/contract';

/** A command refused because the ticket moved on: what was tried, on which version, and the ticket now. */
export interface Conflict {
  commandType: CommandInput['type'];
  expectedVersion: number | null;
  message: string;
  fresh: Ticket | null;
}

export interface CommandOutcome {
  ok: boolean;
  ticketId: string | null;
  /** No answer (server unreachable past the wait): the same commandId may be sent again. */
  unanswered?: boolean;
}

/**
 * Sends commands for one ticket. A `conflict` answer never overwrites
 * anything: its fresh ticket goes to the store (if newer) and the conflict is
 * kept for the banner until dismissed. Other refusals become `error`.
 */
export function useTicketCommand() {
  const { bridge, store } = useServices();
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = useCallback(
    async (input: CommandInput, options: { commandId?: string } = {}): Promise<CommandOutcome> => {
      setBusy(true);
      setError(null);
      try {
        const ack = await bridge.sendCommand(
          options.commandId ? { ...input, commandId: options.commandId } : input,
        );
        if (ack.ok) {
          const id = (ack.ticket as { id?: unknown } | undefined)?.id;
          return { ok: true, ticketId: typeof id === 'string' ? id : null };
        }
        if (ack.error.code === 'conflict' && ack.error.ticket !== undefined) {
          const fresh = ticketSchema.safeParse(ack.error.ticket);
          if (fresh.success) store.getState().upsertTicket(fresh.data);
          setConflict({
            commandType: input.type,
            expectedVersion:
              'expectedVersion' in input && typeof input.expectedVersion === 'number'
                ? input.expectedVersion
                : null,
            message: ack.error.message,
            fresh: fresh.success ? fresh.data : null,
          });
        } else if (ack.error.code === 'conflict') {
          setConflict({
            commandType: input.type,
            expectedVersion: null,
            message: ack.error.message,
            fresh: null,
          });
        } else {
          const fields = ack.error.fields?.map((f) => `${f.path}: ${f.message}`).join('; ');
          setError(fields ? `${ack.error.message} (${fields})` : ack.error.message);
        }
        return { ok: false, ticketId: null, unanswered: ack.error.code === 'unavailable' };
      } finally {
        setBusy(false);
      }
    },
    [bridge, store],
  );

  return {
    run,
    busy,
    conflict,
    error,
    dismissConflict: useCallback(() => setConflict(null), []),
    dismissError: useCallback(() => setError(null), []),
  };
}
