/**
 * The intake doors (issue 19, decision 41): Alertmanager notifications, device metric samples,
 * hotline calls and chat transcripts become tickets and ticket signals. Every change to a
 * ticket is a command on the one bus, as the intake account, with a commandId derived from
 * what arrived: a resent alert, sample or call event finds the stored result instead of acting
 * twice, also when the first attempt stopped half-way. One batch at a time per door on this
 * node (the order of samples of one device metric matters).
 */
import { type Actor, type CommandAck, type Priority, type Ticket } from '@dutydesk/shared';
import { createHash } from 'node:crypto';
import type { AppContext } from '../../context';
import { HttpError } from '../../http/errors';
import { findContactByPhoneOrEmail, readContact } from '../customers';
import type { EscalationEngine } from '../escalation';
import { enqueueMail } from '../mail';
import { ensureIntakeActor } from './account';
import { readCallStats } from './callStats';
import {
  INITIAL_HEALTH,
  stepHealth,
  type HealthEffect,
  type HealthSample,
  type HealthState,
} from './health';
import {
  readAlert,
  readCall,
  readDevices,
  readHealthStates,
  readIntakeSettingsRow,
  readTicketStatuses,
  saveAlert,
  saveCall,
  saveHealthStates,
  type DeviceRecord,
} from './intake.repo';
import {
  DEFAULT_INTAKE_SETTINGS,
  intakeSettingsSchema,
  type AlertmanagerPayload,
  type CallEvent,
  type CallStats,
  type ChatTranscript,
  type IntakeAccepted,
  type IntakeSettings,
  type MetricsPayload,
} from './intake.schemas';

/** Statuses in which a ticket still takes a device's or an alert's signals. */
const WORKING = new Set([
  'received',
  'classified',
  'dispatched',
  'in_progress',
  'pending',
  'reopened',
]);

const CATEGORY = {
  preMaintenance: 'pre-maintenance',
  fieldService: 'field-service',
  alert: 'monitoring-alert',
  call: 'hotline-call',
  chat: 'chat',
} as const;

function digest(...parts: Array<string | number | null | undefined>): string {
  return createHash('sha256')
    .update(parts.map((p) => String(p ?? '')).join('\u0000'))
    .digest('hex')
    .slice(0, 40);
}

/** One at a time: a promise chain. */
function serial(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => {});
    return run;
  };
}

export interface IntakeService {
  settings(): Promise<IntakeSettings>;
  alertmanager(payload: AlertmanagerPayload): Promise<IntakeAccepted>;
  metrics(payload: MetricsPayload): Promise<IntakeAccepted>;
  call(event: CallEvent): Promise<IntakeAccepted>;
  chat(transcript: ChatTranscript): Promise<IntakeAccepted>;
  callStats(from: Date): Promise<CallStats>;
}

export function createIntakeService(
  ctx: AppContext,
  deps: { escalation: EscalationEngine },
): IntakeService {
  let actorPromise: Promise<Actor> | null = null;
  const actor = (): Promise<Actor> => {
    actorPromise ??= ensureIntakeActor(ctx).catch((err: unknown) => {
      actorPromise = null;
      throw err;
    });
    return actorPromise;
  };
  const alertsInOrder = serial();
  const metricsInOrder = serial();
  const callsInOrder = serial();

  async function settings(): Promise<IntakeSettings> {
    const stored = await readIntakeSettingsRow(ctx.database.db);
    const parsed = intakeSettingsSchema.safeParse(stored);
    return parsed.success ? parsed.data : DEFAULT_INTAKE_SETTINGS;
  }

  /** Runs one command as the intake account; a refusal is an error (503 when retrying helps). */
  async function run(
    prefix: string,
    key: string,
    body: Record<string, unknown>,
  ): Promise<CommandAck & { ok: true }> {
    const ack = await ctx.commands.execute(await actor(), {
      ...body,
      commandId: `${prefix}-${key}`,
    });
    if (!ack.ok) {
      ctx.log.warn({ type: body.type, code: ack.error.code }, 'intake command refused');
      throw new HttpError(
        ack.error.code === 'rate_limited' || ack.error.code === 'unavailable'
          ? 'unavailable'
          : 'conflict',
        `The intake could not record this: ${ack.error.message}`,
      );
    }
    return ack;
  }

  function ticketOf(ack: CommandAck & { ok: true }): Ticket {
    if (!ack.ticket) throw new HttpError('internal', 'the command answered without its ticket');
    return ack.ticket;
  }

  async function isWorking(
    ticketId: string | null,
  ): Promise<{ working: boolean; priority: string | null }> {
    if (!ticketId) return { working: false, priority: null };
    const s = (await readTicketStatuses(ctx.database.db, [ticketId])).get(ticketId);
    return { working: s !== undefined && WORKING.has(s.status), priority: s?.priority ?? null };
  }

  // ---------------------------------------------------------------------------------------
  // Alertmanager

  function priorityFor(s: IntakeSettings, severity: string | undefined): Priority {
    return (
      (severity ? s.severityPriority[severity] : undefined) ?? s.severityPriority.default ?? 'P3'
    );
  }

  async function alertmanager(payload: AlertmanagerPayload): Promise<IntakeAccepted> {
    return alertsInOrder(async () => {
      const s = await settings();
      const now = ctx.clock.now();
      const out: IntakeAccepted = { accepted: 0, duplicates: 0, skipped: 0, ticketIds: [] };
      const touched = new Set<string>();
      for (const alert of payload.alerts) {
        out.accepted += 1;
        const labels = { ...payload.commonLabels, ...alert.labels };
        const annotations = { ...payload.commonAnnotations, ...alert.annotations };
        const fingerprint =
          alert.fingerprint ??
          digest(
            ...Object.keys(labels)
              .sort()
              .map((k) => `${k}=${labels[k] ?? ''}`),
          );
        const key = `${alert.status}|${alert.startsAt}|${alert.endsAt ?? ''}`;
        const row = await readAlert(ctx.database.db, fingerprint);
        const open = await isWorking(row?.ticketId ?? null);
        const resent =
          row !== null &&
          row.lastKey === key &&
          now.getTime() - row.lastSeenAt.getTime() < s.alertDedupeSeconds * 1000;
        const name = labels.alertname ?? 'alert';
        const summary = annotations.summary ?? annotations.description ?? name;
        if (alert.status === 'firing') {
          if (row && open.working) {
            if (resent) {
              out.duplicates += 1;
              continue;
            }
            const count = row.count + 1;
            await run('ia', digest(fingerprint, row.ticketId, 'repeat', count), {
              type: 'ticket.intake.record',
              ticketId: row.ticketId,
              source: 'alertmanager',
              signal: 'repeat',
              at: now.toISOString(),
              summary: `${name} firing again (${count} notifications): ${summary}`.slice(0, 20_000),
            });
            await saveAlert(ctx.database.db, {
              ...row,
              status: 'firing',
              startsAt: alert.startsAt,
              lastKey: key,
              count,
              lastSeenAt: now,
            });
            touched.add(row.ticketId);
            continue;
          }
          if (row && resent) {
            out.duplicates += 1;
            continue;
          }
          const description = [
            summary,
            annotations.description && annotations.description !== summary
              ? annotations.description
              : null,
            `Labels: ${Object.entries(labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')}`,
            `Since ${alert.startsAt}${alert.generatorURL ? ` (${alert.generatorURL})` : ''}`,
          ]
            .filter((x) => x !== null)
            .join('\n');
          const ack = await run(
            'ia',
            digest(fingerprint, alert.startsAt, row?.ticketId ?? 'first', 'open'),
            {
              type: 'ticket.create',
              title: `${name}: ${summary}`.slice(0, 200),
              description: description.slice(0, 20_000),
              channel: 'monitoring',
              priority: priorityFor(s, labels.severity),
              category: CATEGORY.alert,
              module: (labels.service ?? labels.job ?? null)?.slice(0, 100) ?? null,
            },
          );
          const ticket = ticketOf(ack);
          await saveAlert(ctx.database.db, {
            fingerprint,
            ticketId: ticket.id,
            status: 'firing',
            startsAt: alert.startsAt,
            lastKey: key,
            count: 1,
            lastSeenAt: now,
          });
          touched.add(ticket.id);
          continue;
        }
        // resolved
        if (!row || row.status === 'resolved' || !open.working) {
          out.duplicates += 1;
          continue;
        }
        const ended =
          alert.endsAt && !alert.endsAt.startsWith('0001') ? alert.endsAt : now.toISOString();
        const at = Number.isFinite(Date.parse(ended))
          ? new Date(Math.min(Date.parse(ended), now.getTime())).toISOString()
          : now.toISOString();
        const recorded = await run(
          'ia',
          digest(fingerprint, row.ticketId, 'recovered', alert.startsAt),
          {
            type: 'ticket.intake.record',
            ticketId: row.ticketId,
            source: 'alertmanager',
            signal: 'recovered',
            at,
            summary: `${name} resolved at ${at}`,
          },
        );
        const resolveRule =
          labels.dutydesk_resolve === 'true' ||
          (labels.dutydesk_resolve !== 'false' && s.resolveOnRecovery);
        if (resolveRule && ticketOf(recorded).status === 'in_progress') {
          await run('ia', digest(fingerprint, row.ticketId, 'resolve', alert.startsAt), {
            type: 'ticket.resolve',
            ticketId: row.ticketId,
            code: 'auto-recovered',
            summary: `Monitoring reported ${name} resolved at ${at}`,
          });
        }
        await saveAlert(ctx.database.db, {
          ...row,
          status: 'resolved',
          lastKey: key,
          lastSeenAt: now,
        });
        touched.add(row.ticketId);
      }
      out.ticketIds = [...touched];
      return out;
    });
  }

  // ---------------------------------------------------------------------------------------
  // Device metrics

  async function onRed(
    device: DeviceRecord | undefined,
    deviceId: string,
    metric: string,
    sample: HealthSample,
    ticket: Ticket,
    key: string,
  ): Promise<void> {
    const over = Math.round((sample.value / sample.threshold - 1) * 100);
    const message = `Device ${device?.name ?? deviceId}: ${metric} ${sample.value} is ${over} % over its threshold ${sample.threshold} (red): field service ticket ${ticket.number}`;
    await deps.escalation.raise([
      {
        ticket,
        stepKey: `intake/red:${metric}`.slice(0, 200),
        kind: 'device.red',
        severity: 'critical',
        message,
        levels: [
          { notify: 'duty_manager', ackMinutes: 10 },
          { notify: 'service_director', ackMinutes: null },
        ],
        data: { deviceId, metric, value: sample.value, threshold: sample.threshold },
      },
    ]);
    const lead = device?.leadContactId ?? null;
    if (!lead) return;
    const c = await readContact(ctx.database.db, lead);
    if (!c?.email) {
      ctx.log.warn(
        { deviceId, contactId: lead },
        'red device warning: the operations lead has no e-mail address',
      );
      return;
    }
    // Once per red warning on this ticket (the mail feature's outbox dedupes the key).
    await enqueueMail(ctx, {
      dedupeKey: `device:${digest(deviceId).slice(0, 16)}:${digest(metric).slice(0, 16)}:red:${ticket.id}:${key.slice(0, 12)}`,
      to: c.email,
      template: 'device.alert',
      locale: c.preferredLanguage ?? null,
      params: {
        ticketId: ticket.id,
        contactId: c.id,
        ticketNumber: ticket.number,
        contactName: c.name,
        device: device?.name ?? deviceId,
        metric,
        value: String(sample.value),
        threshold: String(sample.threshold),
      },
    });
  }

  async function metrics(payload: MetricsPayload): Promise<IntakeAccepted> {
    return metricsInOrder(async () => {
      const s = await settings();
      const now = ctx.clock.now();
      const nowMs = now.getTime();
      const out: IntakeAccepted = { accepted: 0, duplicates: 0, skipped: 0, ticketIds: [] };
      const devices = new Map(
        (
          await readDevices(ctx.database.db, [...new Set(payload.samples.map((x) => x.device))])
        ).map((d) => [d.id, d]),
      );
      const byKey = new Map<
        string,
        { deviceId: string; metric: string; samples: HealthSample[] }
      >();
      for (const x of payload.samples) {
        const threshold = x.threshold ?? devices.get(x.device)?.thresholds[x.metric];
        if (threshold === undefined) {
          out.skipped += 1;
          continue;
        }
        const k = `${x.device}\u0000${x.metric}`;
        let group = byKey.get(k);
        if (!group) {
          group = { deviceId: x.device, metric: x.metric, samples: [] };
          byKey.set(k, group);
        }
        group.samples.push({ value: x.value, threshold, at: x.at ? Date.parse(x.at) : nowMs });
      }
      const states = await readHealthStates(ctx.database.db, [...byKey.values()]);
      const changed: Array<{ deviceId: string; metric: string; state: HealthState }> = [];
      const touched = new Set<string>();
      for (const [k, group] of byKey) {
        group.samples.sort((a, b) => a.at - b.at);
        let state = states.get(k) ?? INITIAL_HEALTH;
        const before = state;
        for (const sample of group.samples) {
          out.accepted += 1;
          const step = stepHealth(state, sample, s.health, nowMs);
          state = step.state;
          if (step.effect === 'duplicate') out.duplicates += 1;
          if (step.effect === 'none' || step.effect === 'duplicate') continue;
          const ticketId = await applyHealthEffect(
            step.effect,
            group.deviceId,
            group.metric,
            sample,
            state,
            devices.get(group.deviceId),
            s,
          );
          if (ticketId) {
            state = { ...state, ticketId };
            touched.add(ticketId);
          }
        }
        if (state !== before)
          changed.push({ deviceId: group.deviceId, metric: group.metric, state });
      }
      await saveHealthStates(ctx.database.db, changed, now);
      out.ticketIds = [...touched];
      return out;
    });
  }

  /** The commands one effect of the health machine gives; returns the ticket it went to. */
  async function applyHealthEffect(
    effect: Exclude<HealthEffect, 'none' | 'duplicate'>,
    deviceId: string,
    metric: string,
    sample: HealthSample,
    state: HealthState,
    device: DeviceRecord | undefined,
    s: IntakeSettings,
  ): Promise<string | null> {
    const key = digest(deviceId, metric, sample.at, effect);
    const at = new Date(Math.min(sample.at, ctx.clock.now().getTime())).toISOString();
    const label = `${device?.name ?? deviceId} ${metric}`;
    const current = await isWorking(state.ticketId);
    const line = `${metric} = ${sample.value} (threshold ${sample.threshold}) at ${at}`;
    if (effect === 'recovered') {
      if (!current.working || !state.ticketId) return null;
      const ack = await run('im', key, {
        type: 'ticket.intake.record',
        ticketId: state.ticketId,
        source: 'metrics',
        signal: 'recovered',
        at,
        summary: `Recovered: ${s.health.recoverRun} samples at or under the threshold; last ${line}`,
      });
      if (s.resolveOnRecovery && ticketOf(ack).status === 'in_progress') {
        await run('im', digest(key, 'resolve'), {
          type: 'ticket.resolve',
          ticketId: state.ticketId,
          code: 'auto-recovered',
          summary: `Device ${label} back under its threshold`,
        });
      }
      return state.ticketId;
    }
    const red = effect === 'red';
    if (current.working && state.ticketId) {
      // One open ticket per device metric: a warning again (or red after orange) goes to it.
      if (red && current.priority !== 'P1') {
        await run('im', digest(key, 'classify'), {
          type: 'ticket.classify',
          ticketId: state.ticketId,
          category: CATEGORY.fieldService,
          priority: 'P1',
          reason: `Red: ${line}, more than ${Math.round((s.health.redRatio - 1) * 100)} % over`,
        });
      }
      const ack = await run('im', key, {
        type: 'ticket.intake.record',
        ticketId: state.ticketId,
        source: 'metrics',
        signal: 'repeat',
        at,
        summary: `${red ? 'Red' : 'Orange'} again: ${line}`,
      });
      if (red) await onRed(device, deviceId, metric, sample, ticketOf(ack), key);
      return state.ticketId;
    }
    const ack = await run('im', key, {
      type: 'ticket.create',
      title: red
        ? `Field service: ${label} ${Math.round((sample.value / sample.threshold - 1) * 100)} % over its threshold`.slice(
            0,
            200,
          )
        : `Pre-maintenance: ${label} over its threshold ${s.health.overRun} times in a row`.slice(
            0,
            200,
          ),
      description: red
        ? `Red device warning: ${line}. A field service visit is needed at once.`
        : `Orange device warning: ${s.health.overRun} consecutive samples over the threshold; last ${line}. Pre-maintenance must start within 2 hours.`,
      channel: 'monitoring',
      priority: red ? 'P1' : 'P2',
      kind: red ? 'incident' : 'service_request',
      category: red ? CATEGORY.fieldService : CATEGORY.preMaintenance,
      module: metric.slice(0, 100),
      // The organisation only: the operations lead is told of a red warning by its own mail,
      // not by the receipt and update mails a linked contact gets (decision 41).
      ...(device?.organisationId ? { organisationId: device.organisationId } : {}),
    });
    const ticket = ticketOf(ack);
    if (red) await onRed(device, deviceId, metric, sample, ticket, key);
    return ticket.id;
  }

  // ---------------------------------------------------------------------------------------
  // Hotline calls and chats

  async function findContact(
    phone: string | undefined,
    email?: string,
  ): Promise<{ contactId: string; organisationId: string | null } | null> {
    return findContactByPhoneOrEmail(ctx.database.db, {
      ...(phone ? { phone } : {}),
      ...(email ? { email } : {}),
    });
  }

  async function call(e: CallEvent): Promise<IntakeAccepted> {
    return callsInOrder(async () => {
      const now = ctx.clock.now();
      const out: IntakeAccepted = { accepted: 1, duplicates: 0, skipped: 0, ticketIds: [] };
      const key = digest(JSON.stringify(e));
      const row = await readCall(ctx.database.db, `call:${e.callId}`);
      if (row?.lastKey === key) {
        out.duplicates = 1;
        out.ticketIds = row.ticketId ? [row.ticketId] : [];
        return out;
      }
      const clamp = (iso: string): string =>
        new Date(Math.min(Date.parse(iso), now.getTime())).toISOString();
      const queuedAt = clamp(e.queuedAt);
      let ticketId = row?.ticketId ?? e.ticketId ?? null;
      const callKey = digest('call', e.callId);
      if (!ticketId) {
        const contact = await findContact(e.caller);
        const ack = await run('ic', digest(callKey, 'open'), {
          type: 'ticket.create',
          title: `Hotline call from ${e.caller}`.slice(0, 200),
          description: `Call ${e.callId} from ${e.caller}, queued at ${queuedAt}.`,
          channel: 'hotline',
          receivedAt: queuedAt,
          category: CATEGORY.call,
          customer: { phone: e.caller },
          ...(contact ? { contactId: contact.contactId } : {}),
        });
        ticketId = ticketOf(ack).id;
      }
      if (e.answeredAt && !row?.answeredAt) {
        const answeredAt = clamp(e.answeredAt);
        const waitS = Math.round((Date.parse(answeredAt) - Date.parse(queuedAt)) / 1000);
        await run('ic', digest(callKey, 'answered', ticketId), {
          type: 'ticket.intake.record',
          ticketId,
          source: 'call',
          signal: 'answered',
          at: answeredAt,
          queuedAt,
          answeredAt,
          summary: `Call ${e.callId} answered${e.agent ? ` by ${e.agent}` : ''} after ${waitS} s in the queue`,
        });
      }
      if (e.endedAt && !row?.endedAt) {
        const endedAt = clamp(e.endedAt);
        const talkS = e.answeredAt
          ? Math.round((Date.parse(endedAt) - Date.parse(e.answeredAt)) / 1000)
          : null;
        await run('ic', digest(callKey, 'ended', ticketId), {
          type: 'ticket.intake.record',
          ticketId,
          source: 'call',
          signal: 'transcript',
          at: endedAt,
          summary: `Call ${e.callId} ended at ${endedAt}${talkS === null ? ' unanswered' : ` after ${talkS} s`}${e.recordingUrl ? `; recording: ${e.recordingUrl}` : ''}`,
        });
      }
      await saveCall(ctx.database.db, {
        id: `call:${e.callId}`,
        kind: 'call',
        ticketId,
        caller: e.caller,
        queuedAt: new Date(queuedAt),
        answeredAt: e.answeredAt ? new Date(clamp(e.answeredAt)) : (row?.answeredAt ?? null),
        endedAt: e.endedAt ? new Date(clamp(e.endedAt)) : (row?.endedAt ?? null),
        lastKey: key,
        updatedAt: now,
      });
      out.ticketIds = [ticketId];
      return out;
    });
  }

  async function chat(t: ChatTranscript): Promise<IntakeAccepted> {
    return callsInOrder(async () => {
      const now = ctx.clock.now();
      const out: IntakeAccepted = { accepted: 1, duplicates: 0, skipped: 0, ticketIds: [] };
      const key = digest(JSON.stringify(t));
      const row = await readCall(ctx.database.db, `chat:${t.chatId}`);
      if (row?.lastKey === key) {
        out.duplicates = 1;
        out.ticketIds = row.ticketId ? [row.ticketId] : [];
        return out;
      }
      const clamp = (iso: string): string =>
        new Date(Math.min(Date.parse(iso), now.getTime())).toISOString();
      const chatKey = digest('chat', t.chatId);
      let ticketId = row?.ticketId ?? null;
      const who = t.customer.name ?? t.customer.phone ?? t.customer.email ?? 'a visitor';
      if (!ticketId) {
        const contact = await findContact(t.customer.phone, t.customer.email);
        const first = t.messages.find((m) => m.from === 'customer')?.text ?? '';
        const ack = await run('ih', digest(chatKey, 'open'), {
          type: 'ticket.create',
          title: `Chat with ${who}: ${first}`.slice(0, 200),
          description: first.slice(0, 20_000),
          channel: 'chat',
          receivedAt: clamp(t.startedAt),
          category: CATEGORY.chat,
          customer: {
            ...(t.customer.name ? { contact: t.customer.name } : {}),
            ...(t.customer.phone ? { phone: t.customer.phone } : {}),
            ...(t.customer.email ? { email: t.customer.email } : {}),
          },
          ...(contact ? { contactId: contact.contactId } : {}),
        });
        ticketId = ticketOf(ack).id;
      }
      const text = t.messages
        .map((m) => `[${m.at}] ${m.from === 'customer' ? who : (t.agent ?? 'agent')}: ${m.text}`)
        .join('\n');
      await run('ih', digest(chatKey, 'transcript', key), {
        type: 'ticket.intake.record',
        ticketId,
        source: 'chat',
        signal: 'transcript',
        at: clamp(t.endedAt ?? t.messages[t.messages.length - 1]?.at ?? t.startedAt),
        summary: `Chat ${t.chatId} transcript (${t.messages.length} messages):\n${text}`.slice(
          0,
          20_000,
        ),
      });
      await saveCall(ctx.database.db, {
        id: `chat:${t.chatId}`,
        kind: 'chat',
        ticketId,
        caller: who,
        queuedAt: new Date(clamp(t.startedAt)),
        answeredAt: t.answeredAt ? new Date(clamp(t.answeredAt)) : null,
        endedAt: t.endedAt ? new Date(clamp(t.endedAt)) : null,
        lastKey: key,
        updatedAt: now,
      });
      out.ticketIds = [ticketId];
      return out;
    });
  }

  const counted =
    <A extends unknown[]>(door: string, f: (...a: A) => Promise<IntakeAccepted>) =>
    async (...a: A): Promise<IntakeAccepted> => {
      const r = await f(...a);
      const m = ctx.metrics.intakeItems;
      if (r.accepted > r.duplicates) m.inc({ door, outcome: 'new' }, r.accepted - r.duplicates);
      if (r.duplicates > 0) m.inc({ door, outcome: 'duplicate' }, r.duplicates);
      if (r.skipped > 0) m.inc({ door, outcome: 'skipped' }, r.skipped);
      return r;
    };
  return {
    settings,
    alertmanager: counted('alertmanager', alertmanager),
    metrics: counted('metrics', metrics),
    call: counted('call', call),
    chat: counted('chat', chat),
    callStats: (from: Date) => readCallStats(ctx, from),
  };
}
