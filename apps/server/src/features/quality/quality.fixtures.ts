/** Hand-made closed tickets for the QA tests: every key field present and on time unless told. */
import { ticketSchema, type Ticket } from '@dutydesk/shared';
import type { QaTicket } from './sampling';

const HOUR = 3_600_000;

export interface HandMade {
  id: string;
  number: string;
  priority: 'P1' | 'P2' | 'P3';
  assigneeId: string | null;
  /** The resolve target's clock start; its window is `windowHours`. */
  startedAt: string;
  windowHours: number;
  /** When the resolve clock stopped, as a percent of the window past its start (100 = at due). */
  stoppedPercent: number;
  closedAt: string;
  missing?: ReadonlyArray<
    | 'category'
    | 'module'
    | 'customer_contact'
    | 'resolution_note'
    | 'execution_log'
    | 'supervision_log'
    | 'signed_milestones'
  >;
}

/** A full ticket state (as `applyEvent` would build it) for a hand-made closed ticket. */
export function handMadeState(h: HandMade): Ticket {
  const start = Date.parse(h.startedAt);
  const due = new Date(start + h.windowHours * HOUR).toISOString();
  const stopped = new Date(start + (h.windowHours * HOUR * h.stoppedPercent) / 100).toISOString();
  const lacks = new Set(h.missing ?? []);
  const by = h.assigneeId;
  // Parsed, so the hand-made state is a ticket every reader accepts.
  return ticketSchema.parse({
    id: h.id,
    number: h.number,
    version: 6,
    kind: 'incident',
    title: `QA ${h.number}`,
    description: '',
    channel: 'hotline',
    impact: 'medium',
    urgency: 'medium',
    priority: h.priority,
    category: lacks.has('category') ? null : 'network',
    module: lacks.has('module') ? null : 'vpn',
    customer: lacks.has('customer_contact')
      ? { org: 'ACME', contact: null, phone: null, email: null }
      : { org: 'ACME', contact: 'Li Wei', phone: '13800000000', email: null },
    organisationId: null,
    contactId: null,
    groupId: 'l2',
    assigneeId: h.assigneeId,
    createdBy: by,
    status: 'closed',
    pendingReason: null,
    majorIncident: false,
    receivedAt: h.startedAt,
    createdAt: h.startedAt,
    updatedAt: h.closedAt,
    firstResponseAt: h.startedAt,
    lastPublicUpdateAt: h.startedAt,
    resolvedAt: stopped,
    closedAt: h.closedAt,
    resolution: lacks.has('resolution_note') ? null : { code: 'fixed', summary: 'Router replaced' },
    followUp: { outcome: 'satisfied', note: null, at: h.closedAt },
    statusHistory: [
      { at: h.startedAt, status: 'received', pendingReason: null },
      { at: h.closedAt, status: 'closed', pendingReason: null },
    ],
    comments: [],
    executionLog: lacks.has('execution_log')
      ? []
      : [
          {
            id: `${h.id}-x1`,
            at: stopped,
            actorId: by,
            work: 'Replaced the router',
            problems: null,
            progress: 100,
            minutesSpent: 30,
            correctsEntryId: null,
          },
        ],
    supervisionLog: lacks.has('supervision_log')
      ? []
      : [
          {
            id: `${h.id}-s1`,
            at: h.closedAt,
            actorId: null,
            source: 'on_behalf',
            attitude: null,
            professionalism: null,
            feedback: 'Fine',
            ratings: { overall: 5 },
            correctsEntryId: null,
          },
        ],
    milestones: lacks.has('signed_milestones')
      ? []
      : [
          {
            id: `${h.id}-m1`,
            title: 'Service restored',
            addedAt: h.startedAt,
            addedBy: by,
            leadConfirmation: { by, at: stopped },
            customerConfirmation: { by: null, at: stopped, onBehalf: true },
          },
        ],
    sla: {
      targets: [
        {
          name: 'resolve',
          dueAt: due,
          state: h.stoppedPercent > 100 ? 'breached' : 'met',
          startedAt: h.startedAt,
          metAt: stopped,
          breachedAt: h.stoppedPercent > 100 ? due : null,
        },
      ],
    },
    lastSeq: 0,
  });
}

/** The same ticket as QA reads it. */
export function handMadeQa(h: HandMade): QaTicket {
  const s = handMadeState(h);
  return {
    id: s.id,
    number: s.number,
    priority: s.priority,
    assigneeId: s.assigneeId,
    receivedAt: s.receivedAt,
    resolvedAt: s.resolvedAt,
    closedAt: s.closedAt as string,
    category: s.category,
    module: s.module,
    customer: s.customer,
    contactId: s.contactId ?? null,
    resolution: s.resolution,
    executionEntries: s.executionLog.length,
    supervisionEntries: s.supervisionLog.length,
    milestones: s.milestones,
    targets: s.sla.targets,
  };
}
