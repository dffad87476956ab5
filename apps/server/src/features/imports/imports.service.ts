import {
  applyEvent,
  formatTicketNumber,
  type Actor,
  type DomainEvent,
  type Ticket,
} from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { AppContext } from '../../context';
import { appendEvents, type NewEvent, type StoredEvent } from '../events';
import { checkRow, readRecords, type ImportFormat, type ImportRow, type RowError } from './parse';
import {
  insertImportJob,
  insertTickets,
  readGroupIds,
  reserveCounter,
  updateImportJob,
} from './imports.repo';

/** Tickets per transaction: one append of 2 × this many events, one multi-row insert. */
export const IMPORT_BATCH = 500;
/** Errors kept on the job (the count goes on). */
export const MAX_KEPT_ERRORS = 1000;

export interface ImportService {
  /** Records the job and runs it in the background; the id answers at once. */
  start(actor: Actor, body: string, format: ImportFormat): Promise<string>;
  /** Called with the job's id when a job finished having imported at least one ticket. */
  onFinished(listener: (jobId: string, imported: number) => void): void;
  /** Called after each batch is committed (tests read the job's progress then). */
  onProgress(listener: (jobId: string, done: number) => void): void;
  /** Waits for the jobs running on this node (tests). */
  idle(): Promise<void>;
  /** Ends the jobs running on this node after their current batch (marked `failed`). */
  stop(): Promise<void>;
}

/**
 * The events of one imported ticket: `ticket.created` at its `receivedAt` and `ticket.closed`
 * at its `closedAt`, both by the importing admin. No `sla.planned`: the SLA engine never
 * plans a closed past ticket, so no timer, warning, breach or escalation follows; the mail
 * rules send nothing (a receipt needs a contact, which an imported row has none of).
 */
export function importedEvents(
  row: ImportRow,
  ids: { ticketId: string; number: string; actorId: string; jobId: string },
): NewEvent[] {
  const receivedAt = row.receivedAt.toISOString();
  return [
    {
      id: randomUUID(),
      type: 'ticket.created',
      ticketId: ids.ticketId,
      actorId: ids.actorId,
      at: receivedAt,
      data: {
        version: 1,
        number: ids.number,
        kind: row.kind,
        title: row.title,
        description: row.description,
        channel: 'api',
        impact: 'medium',
        urgency: 'medium',
        priority: row.priority,
        category: row.category,
        module: row.module,
        customer: { org: null, contact: null, phone: null, email: null },
        groupId: row.groupId,
        assigneeId: null,
        majorIncident: false,
        receivedAt,
        status: 'received',
        importJobId: ids.jobId,
      },
    },
    {
      id: randomUUID(),
      type: 'ticket.closed',
      ticketId: ids.ticketId,
      actorId: ids.actorId,
      at: row.closedAt.toISOString(),
      data: { version: 2, status: 'closed' },
    },
  ];
}

export function createImportService(ctx: AppContext): ImportService {
  const listeners: Array<(jobId: string, imported: number) => void> = [];
  const progressListeners: Array<(jobId: string, done: number) => void> = [];
  const running = new Set<Promise<void>>();
  let stopping = false;

  /** One batch in one transaction: numbers, the log's append (hash chain), the ticket rows. */
  async function importBatch(
    jobId: string,
    actor: Actor,
    rows: ImportRow[],
    progress: { done: number; failed: number; errors: RowError[] },
  ): Promise<StoredEvent[]> {
    return ctx.database.db.transaction(async (tx) => {
      const byKey = new Map<string, ImportRow[]>();
      for (const r of rows) {
        const key = `${r.kind}:${r.receivedAt.getUTCFullYear()}`;
        const list = byKey.get(key) ?? [];
        list.push(r);
        byKey.set(key, list);
      }
      const list: NewEvent[] = [];
      for (const [key, keyed] of byKey) {
        let n = await reserveCounter(tx, key, keyed.length);
        for (const r of keyed) {
          const number = formatTicketNumber(r.kind, r.receivedAt.getUTCFullYear(), n++);
          list.push(
            ...importedEvents(r, { ticketId: randomUUID(), number, actorId: actor.id, jobId }),
          );
        }
      }
      const stored = await appendEvents(tx, list, `import:${jobId}:${progress.done}`);
      const byTicket = new Map<string, Ticket | null>();
      for (const e of stored) {
        const id = e.ticketId as string;
        byTicket.set(id, applyEvent(byTicket.get(id) ?? null, e as unknown as DomainEvent));
      }
      await insertTickets(
        tx,
        [...byTicket.values()].filter((t): t is Ticket => t !== null),
      );
      await updateImportJob(tx, jobId, {
        done: progress.done + rows.length,
        failed: progress.failed,
        errors: progress.errors,
      });
      return stored;
    });
  }

  async function run(jobId: string, actor: Actor, body: string, format: ImportFormat) {
    const progress = { done: 0, failed: 0, errors: [] as RowError[] };
    const refuse = (e: RowError): void => {
      progress.failed += 1;
      if (progress.errors.length < MAX_KEPT_ERRORS) progress.errors.push(e);
    };
    try {
      const now = ctx.clock.now();
      const groupIds = await readGroupIds(ctx.database.db);
      const rows: ImportRow[] = [];
      for (const r of readRecords(body, format)) {
        if (!('record' in r)) {
          refuse(r);
          continue;
        }
        const checked = checkRow(r.record, r.line, now);
        if (!('title' in checked)) refuse(checked);
        else if (checked.groupId !== null && !groupIds.has(checked.groupId))
          refuse({ line: r.line, message: `groupId: no group "${checked.groupId}"` });
        else rows.push(checked);
      }
      await updateImportJob(ctx.database.db, jobId, {
        ...progress,
        total: rows.length + progress.failed,
      });
      for (let i = 0; i < rows.length; i += IMPORT_BATCH) {
        if (stopping) throw new Error('the server is stopping');
        const batch = rows.slice(i, i + IMPORT_BATCH);
        const stored = await importBatch(jobId, actor, batch, progress);
        progress.done += batch.length;
        ctx.publish(stored);
        for (const l of progressListeners) l(jobId, progress.done);
        // Commands and reads queued behind the batch run before the next one.
        await yieldToLoop();
      }
      await updateImportJob(ctx.database.db, jobId, {
        ...progress,
        status: 'done',
        finishedAt: ctx.clock.now(),
      });
      ctx.log.info({ jobId, done: progress.done, failed: progress.failed }, 'import finished');
      if (progress.done > 0) for (const l of listeners) l(jobId, progress.done);
    } catch (err) {
      ctx.log.error({ err, jobId }, 'import failed');
      refuse({
        line: 0,
        message: stopping
          ? `the import stopped with the server after ${progress.done} rows`
          : 'the import stopped: the database refused a batch',
      });
      await updateImportJob(ctx.database.db, jobId, {
        ...progress,
        status: 'failed',
        finishedAt: ctx.clock.now(),
      }).catch((e: unknown) => ctx.log.error({ err: e, jobId }, 'import status not saved'));
    }
  }

  return {
    async start(actor, body, format) {
      const id = randomUUID();
      await insertImportJob(ctx.database.db, {
        id,
        createdBy: actor.id,
        createdAt: ctx.clock.now(),
      });
      const p = run(id, actor, body, format).finally(() => running.delete(p));
      running.add(p);
      return id;
    },
    onFinished(listener) {
      listeners.push(listener);
    },
    onProgress(listener) {
      progressListeners.push(listener);
    },
    async idle() {
      await Promise.all([...running]);
    },
    async stop() {
      stopping = true;
      await Promise.all([...running]);
    },
  };
}
