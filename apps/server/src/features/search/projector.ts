import type { AppContext } from '../../context';
import { createBackgroundLoop, type BackgroundLoop } from '../../jobs/loop';
import { documentsOf } from './documents';
import {
  analyzeIndex,
  advanceCursor,
  lockCursor,
  readEventsAfterInTx,
  refreshTicketFacets,
  resetIndex,
  saveDocuments,
} from './search.repo';
import { TERMS_VERSION } from './terms';

/** Events read per transaction: short enough that PGlite's one connection is not held long. */
export const PROJECT_BATCH = 200;
/** How long one run keeps projecting before it lets the loop's other work in (a rebuild). */
const RUN_SLICE_MS = 250;
/** How often a node looks for events committed on other nodes. */
const POLL_MS = 1_000;
/**
 * Documents written on this node before it refreshes the planner's statistics of the index:
 * PGlite runs no autovacuum, and without them the planner cannot tell a word in every tenth
 * text from a rare one (decision 32).
 */
const ANALYZE_EVERY = 20_000;

export interface ProjectedBatch {
  /** The cursor after this batch. */
  seq: number;
  /** Documents written. */
  documents: number;
  /** Whether the batch was full (more events may follow). */
  more: boolean;
  /** The index belongs to a newer version of the terms (a newer node projects it). */
  newer: boolean;
}

/**
 * Projects one batch of the event log into the search index, in one transaction with the
 * cursor: the cursor row is locked first (nodes take turns), the events after it are read in
 * seq order (commit order, decision 3: no event can commit later below the cursor), their
 * documents written and the cursor moved. A crash anywhere leaves the cursor and the documents
 * as they were; an older index (terms of an earlier version) is emptied and rebuilt from seq 0.
 */
export async function projectBatch(
  ctx: Pick<AppContext, 'database' | 'clock' | 'log'>,
  limit = PROJECT_BATCH,
): Promise<ProjectedBatch> {
  return ctx.database.db.transaction(async (tx) => {
    let cursor = await lockCursor(tx);
    if (cursor.version > TERMS_VERSION)
      return { seq: cursor.seq, documents: 0, more: false, newer: true };
    if (cursor.version < TERMS_VERSION) {
      ctx.log.info(
        { from: cursor.version, to: TERMS_VERSION },
        'search index: terms changed, rebuilding from the event log',
      );
      await resetIndex(tx, TERMS_VERSION, ctx.clock.now());
      cursor = { seq: 0, version: TERMS_VERSION };
    }
    const events = await readEventsAfterInTx(tx, cursor.seq, limit);
    const last = events[events.length - 1];
    if (!last) return { seq: cursor.seq, documents: 0, more: false, newer: false };
    const changes = documentsOf(events);
    await saveDocuments(tx, changes.save, changes.drop);
    // Status, priority, group or organisation of a ticket change by its events: its texts'
    // facets follow the row (decision 47).
    await refreshTicketFacets(tx, [
      ...new Set(events.flatMap((e) => (e.ticketId ? [e.ticketId] : []))),
    ]);
    await advanceCursor(tx, last.seq, ctx.clock.now());
    return {
      seq: last.seq,
      documents: changes.save.length,
      more: events.length === limit,
      newer: false,
    };
  });
}

export interface SearchProjector {
  readonly loop: BackgroundLoop<ProjectedBatch>;
  /**
   * Projects from `indexed` until every event up to `seq` is indexed or `budgetMs` has passed;
   * the seq indexed then. The search route calls it with the log's head, so a search sees
   * every event committed before it was asked, on any node.
   */
  catchUp(seq: number, indexed: number, budgetMs: number): Promise<number>;
}

/**
 * The node's search projector: a background loop that projects what this node commits at once
 * (woken by `onCommitted`), what other nodes commit within a second, and a whole log in slices
 * after a rebuild.
 */
export function createSearchProjector(
  ctx: Pick<AppContext, 'database' | 'clock' | 'log'>,
): SearchProjector {
  let unanalyzed = 0;
  const run = async (): Promise<ProjectedBatch> => {
    const started = performance.now();
    for (;;) {
      const batch = await projectBatch(ctx);
      unanalyzed += batch.documents;
      if (unanalyzed >= ANALYZE_EVERY && !batch.more) {
        unanalyzed = 0;
        await analyzeIndex(ctx.database.db);
      }
      if (!batch.more || batch.newer) return batch;
      if (performance.now() - started > RUN_SLICE_MS) {
        loop.wake(0);
        return batch;
      }
    }
  };
  const loop = createBackgroundLoop({
    name: 'search projector',
    intervalMs: POLL_MS,
    run,
    log: ctx.log,
  });
  return {
    loop,
    async catchUp(seq, indexed, budgetMs) {
      const deadline = performance.now() + budgetMs;
      let at = indexed;
      // Every event up to `seq` is committed (the caller read it as the head), so each batch
      // moves the cursor towards it; a run ends early only on its time slice.
      while (at < seq && performance.now() < deadline) {
        const batch = await loop.tick();
        if (batch.newer) return at;
        at = batch.seq;
      }
      return at;
    },
  };
}
