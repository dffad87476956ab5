import { applyEvent, type DomainEvent, type Ticket } from '@dutydesk/shared';
import type { Db } from '../../db/client';
import {
  countCommandResults,
  findAttachmentMismatches,
  findDanglingCommandResults,
  findTicketsWithoutRow,
  readEventsOfTickets,
  readTicketRows,
  type StoredTicketRow,
} from './audit.repo';
import { canonicalJson } from './canonical';
import { verifyCheckpoint, type AuditKey, type Checkpoint } from './checkpoints';
import { listCheckpoints, readHashesAt, readHead } from './checkpoints.repo';
import { verifyAuditChain } from './events.repo';
import { ticketColumns } from '../tickets';

/** One thing `audit verify` found wrong. */
export interface AuditProblem {
  kind:
    | 'chain'
    | 'truncated'
    | 'rechained'
    | 'checkpoint_signature'
    | 'ticket_row'
    | 'ticket_missing'
    | 'command_result'
    | 'attachment_row';
  seq?: number;
  ticketId?: string;
  message: string;
}

export interface AuditReport {
  ok: boolean;
  /** Events whose chain link and hash were checked. */
  events: number;
  head: { seq: number; hash: string } | null;
  checkpoints: { stored: number; external: number; signatureChecked: number; latestSeq: number };
  tickets: number;
  commandResults: number;
  problems: AuditProblem[];
  /** What could not be checked, said plainly (no key, a checkpoint of another key). */
  notes: string[];
}

export interface VerifyAuditOptions {
  /** Keys whose signatures are checked (the server's own, an export file's). */
  keys?: AuditKey[];
  /** Checkpoints kept outside the database (an export, the log output): the stronger anchor. */
  external?: Checkpoint[];
  /** Stop listing problems of one kind after this many (the count is still reported). */
  maxPerKind?: number;
  pageSize?: number;
}

/**
 * The whole audit: the hash chain from genesis; every signed checkpoint (stored and external)
 * against the chain, which catches a cut tail (a checkpoint beyond the last row, even on an
 * empty log) and an edit followed by recomputed hashes (a checkpointed seq whose hash
 * changed); every ticket row recomputed from its events with the shared reducer and compared;
 * every stored command result checked against the events it names; every attachment row
 * (metadata and digest) against its `ticket.attachmentAdded` event.
 */
export async function verifyAudit(db: Db, opts: VerifyAuditOptions = {}): Promise<AuditReport> {
  const maxPerKind = opts.maxPerKind ?? 20;
  const problems: AuditProblem[] = [];
  const counts = new Map<AuditProblem['kind'], number>();
  const report = (p: AuditProblem): void => {
    const n = (counts.get(p.kind) ?? 0) + 1;
    counts.set(p.kind, n);
    if (n <= maxPerKind) problems.push(p);
  };
  const notes: string[] = [];

  const chain = await verifyAuditChain(db, opts.pageSize ?? 2000);
  if (!chain.ok)
    report({ kind: 'chain', seq: chain.brokenSeq, message: chain.reason ?? 'chain broken' });
  const head = await readHead(db);

  // Checkpoints: stored ones and external ones, each checked against the stored chain.
  const stored = await listCheckpoints(db);
  const external = opts.external ?? [];
  const keys = new Map((opts.keys ?? []).map((k) => [k.keyId, k]));
  if (keys.size === 0 && stored.length + external.length > 0)
    notes.push('no audit key given: checkpoint signatures were not checked');
  const all = [
    ...stored.map((c) => ({ c, source: 'stored' })),
    ...external.map((c) => ({ c, source: 'external' })),
  ];
  const hashes = await readHashesAt(db, [...new Set(all.map((x) => x.c.seq))]);
  let signatureChecked = 0;
  const otherKeys = new Set<string>();
  for (const { c, source } of all) {
    const key = keys.get(c.keyId);
    if (key) {
      signatureChecked += 1;
      if (!verifyCheckpoint(key, c)) {
        report({
          kind: 'checkpoint_signature',
          seq: c.seq,
          message: `the ${source} checkpoint at seq ${c.seq} (${c.at}) does not carry a valid signature of key ${c.keyId}: forged or altered`,
        });
        continue;
      }
    } else if (keys.size > 0) otherKeys.add(c.keyId);
    const at = hashes.get(c.seq);
    if (at === undefined) {
      report({
        kind: 'truncated',
        seq: c.seq,
        message: `the ${source} checkpoint of ${c.at} signed seq ${c.seq}, but the log ${head ? `ends at seq ${head.seq}` : 'is empty'}${head && head.seq > c.seq ? ' and has no row there' : ''}: events were deleted`,
      });
    } else if (at !== c.hash) {
      report({
        kind: 'rechained',
        seq: c.seq,
        message: `the hash at seq ${c.seq} differs from the ${source} checkpoint of ${c.at}: the log was changed and its hashes recomputed`,
      });
    }
  }
  for (const id of otherKeys)
    notes.push(`checkpoints signed by key ${id} (not a key given) were compared unsigned`);
  if (stored.length === 0 && external.length === 0 && (head?.seq ?? 0) > 0)
    notes.push('no checkpoint yet: a cut tail or a recomputed chain cannot be detected');

  // Ticket rows against the log, a page at a time.
  let ticketCount = 0;
  let after = '';
  for (;;) {
    const rows = await readTicketRows(db, after, 200);
    if (rows.length === 0) break;
    after = (rows[rows.length - 1] as StoredTicketRow).id;
    const byTicket = new Map<string, Ticket | null>();
    for (const e of await readEventsOfTickets(
      db,
      rows.map((r) => r.id),
    )) {
      const id = e.ticketId as string;
      byTicket.set(id, applyEvent(byTicket.get(id) ?? null, e as unknown as DomainEvent));
    }
    for (const row of rows) {
      ticketCount += 1;
      const diff = compareTicketRow(row, byTicket.get(row.id) ?? null);
      if (diff)
        report({
          kind: 'ticket_row',
          ticketId: row.id,
          message: `ticket ${row.number} (${row.id}) differs from its events: ${diff}`,
        });
    }
  }
  for (const t of await findTicketsWithoutRow(db, maxPerKind))
    report({
      kind: 'ticket_missing',
      ticketId: t.ticketId,
      seq: t.seq,
      message: `ticket ${t.ticketId}, created at seq ${t.seq}, has no row`,
    });

  // Command results against the events they name.
  for (const r of await findDanglingCommandResults(db, maxPerKind))
    report({
      kind: 'command_result',
      seq: r.seq,
      message: `the stored result of command ${r.commandId} names seq ${r.seq}: ${r.problem}`,
    });
  const commandResults = await countCommandResults(db);

  // Attachment rows (metadata, digest) against their `ticket.attachmentAdded` events.
  for (const a of await findAttachmentMismatches(db, maxPerKind))
    report({
      kind: 'attachment_row',
      seq: a.seq,
      message: `attachment ${a.attachmentId} (seq ${a.seq}): ${a.problem}`,
    });

  for (const [kind, n] of counts)
    if (n > maxPerKind) notes.push(`${n - maxPerKind} more ${kind} problems not listed`);
  return {
    ok: problems.length === 0,
    events: chain.checked,
    head,
    checkpoints: {
      stored: stored.length,
      external: external.length,
      signatureChecked,
      latestSeq: Math.max(0, ...all.map((x) => x.c.seq)),
    },
    tickets: ticketCount,
    commandResults,
    problems,
    notes,
  };
}

/** The columns a ticket row must hold for its state (as `saveTicket` writes them). */
function columnsOf(t: Ticket): Record<string, unknown> {
  const cols = ticketColumns(t);
  return {
    ...cols,
    receivedAt: cols.receivedAt.toISOString(),
    updatedAt: cols.updatedAt.toISOString(),
  };
}

/** Where a stored row differs from the ticket its events make, or null. */
export function compareTicketRow(row: StoredTicketRow, folded: Ticket | null): string | null {
  if (!folded) return 'the log holds no ticket.created for it';
  const stateDiff = firstDifference(row.state, folded, 'state');
  if (stateDiff) return stateDiff;
  const want = columnsOf(folded);
  for (const [k, v] of Object.entries(want)) {
    const got = (row as unknown as Record<string, unknown>)[k];
    if (canonicalJson(got) !== canonicalJson(v))
      return `column ${k} is ${show(got)}, the log says ${show(v)}`;
  }
  return null;
}

function show(v: unknown): string {
  const s = canonicalJson(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

/** The first path where two JSON values differ (`state.title: "a" stored, "b" from the log`). */
function firstDifference(stored: unknown, folded: unknown, path: string): string | null {
  if (canonicalJson(stored) === canonicalJson(folded)) return null;
  if (
    stored !== null &&
    folded !== null &&
    typeof stored === 'object' &&
    typeof folded === 'object' &&
    Array.isArray(stored) === Array.isArray(folded)
  ) {
    const a = stored as Record<string, unknown>;
    const b = folded as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference(a[k], b[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path} is ${show(stored)} in the row, ${show(folded)} from the log`;
}
