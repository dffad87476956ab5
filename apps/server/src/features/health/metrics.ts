import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one server instance (its own registry, so tests can run several). */
export interface Metrics {
  registry: Registry;
  logins: Counter<'outcome'>;
  commands: Counter<'type' | 'outcome'>;
  commandSeconds: Histogram<'type'>;
  sockets: Gauge;
  eventsPublished: Counter;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpSeconds: Histogram<'method' | 'route' | 'status'>;
  /** Events per fan-out delivery (this node's and other nodes' batches joined). */
  fanoutBatchEvents: Histogram;
  /** Live seats a delivery was written to. */
  fanoutBatchSeats: Histogram;
  /** From a batch leaving the queue to its last seat written (slices and loop turns included). */
  fanoutSeconds: Histogram;
  /** SLA thresholds this node's scheduler fired, `warning` or `breach`. */
  slaTimersFired: Counter<'kind'>;
  /** How late a fired threshold was: commit of its event − its due instant. */
  slaFireLagSeconds: Histogram<'kind'>;
  /** Scrape-time collections (database queries) that failed or timed out, by collector. */
  collectFailures: Counter<'collector'>;
  /** Webhook delivery attempts this node made, by outcome (`delivered`, `http_error`, …). */
  webhookDeliveries: Counter<'outcome'>;
  /** One webhook request's time, connect to the answer read, by outcome. */
  webhookDeliverySeconds: Histogram<'outcome'>;
  /** From an event's commit to its delivery (2xx) to a webhook receiver. */
  webhookLagSeconds: Histogram;
  /** Webhook subscriptions this node is delivering now (it holds their lease). */
  webhookStreams: Gauge;
  /** Mails this node handed to the SMTP server, by template. */
  mailSent: Counter<'template'>;
  /** Mail send attempts that failed on this node (`final`: given up, else retried later). */
  mailFailed: Counter<'final'>;
  /** What the intake doors took, by door and outcome (`new`, `duplicate`, `skipped`). */
  intakeItems: Counter<'door' | 'outcome'>;
  /** Mails the e-mail intake took in, by source (`smtp`, `imap`) and outcome (`ticket`, `reply`). */
  mailReceived: Counter<'source' | 'outcome'>;
  /** Mails taken but ignored, by source and reason (`auto_reply`, `bounce`, `loop`, `duplicate`, `no_sender`). */
  mailIgnored: Counter<'source' | 'reason'>;
  /** Mails refused, by source and reason (`size`, `recipient`, `auth`, `retry`: a temporary failure). */
  mailRefused: Counter<'source' | 'reason'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'dutydesk_' });
  return {
    registry,
    logins: new Counter({
      name: 'dutydesk_logins_total',
      help: 'Login attempts by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    commands: new Counter({
      name: 'dutydesk_commands_total',
      help: 'Commands by type and outcome',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
    commandSeconds: new Histogram({
      name: 'dutydesk_command_seconds',
      help: 'Command handling time',
      labelNames: ['type'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    sockets: new Gauge({
      name: 'dutydesk_sockets',
      help: 'Connected sockets on this node',
      registers: [registry],
    }),
    eventsPublished: new Counter({
      name: 'dutydesk_events_published_total',
      help: 'Events published to rooms',
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'dutydesk_http_requests_total',
      help: 'HTTP requests by method, matched route pattern (or unmatched, static, console) and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpSeconds: new Histogram({
      name: 'dutydesk_http_request_duration_seconds',
      help: 'HTTP request time, from arrival to the response closing',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    fanoutBatchEvents: new Histogram({
      name: 'dutydesk_fanout_batch_events',
      help: 'Events per fan-out delivery to this node’s seats',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers: [registry],
    }),
    fanoutBatchSeats: new Histogram({
      name: 'dutydesk_fanout_batch_seats',
      help: 'Live seats one fan-out delivery was written to',
      buckets: [0, 1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers: [registry],
    }),
    fanoutSeconds: new Histogram({
      name: 'dutydesk_fanout_seconds',
      help: 'Time from a batch leaving the fan-out queue to its last seat written',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    slaTimersFired: new Counter({
      name: 'dutydesk_sla_timers_fired_total',
      help: 'SLA thresholds fired by this node’s scheduler (kind: warning or breach)',
      labelNames: ['kind'],
      registers: [registry],
    }),
    slaFireLagSeconds: new Histogram({
      name: 'dutydesk_sla_fire_lag_seconds',
      help: 'How late an SLA threshold fired: its event committed minus its due instant',
      labelNames: ['kind'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
      registers: [registry],
    }),
    collectFailures: new Counter({
      name: 'dutydesk_metrics_collect_failures_total',
      help: 'Scrape-time collections (database queries) that failed or timed out',
      labelNames: ['collector'],
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: 'dutydesk_webhook_deliveries_total',
      help: 'Webhook delivery attempts by this node, by outcome (delivered, http_error, timeout, network, refused)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    webhookDeliverySeconds: new Histogram({
      name: 'dutydesk_webhook_delivery_seconds',
      help: 'One webhook request, from connect to the answer read, by outcome',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    webhookLagSeconds: new Histogram({
      name: 'dutydesk_webhook_lag_seconds',
      help: 'From an event committed to its delivery to a webhook receiver (2xx)',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
      registers: [registry],
    }),
    mailSent: new Counter({
      name: 'dutydesk_mail_sent_total',
      help: 'Mails this node handed to the SMTP server, by template',
      labelNames: ['template'],
      registers: [registry],
    }),
    mailFailed: new Counter({
      name: 'dutydesk_mail_failed_total',
      help: 'Mail send attempts that failed on this node (final="true": given up, "false": retried later)',
      labelNames: ['final'],
      registers: [registry],
    }),
    intakeItems: new Counter({
      name: 'dutydesk_intake_items_total',
      help: 'Alerts, samples, calls and chats the intake doors took, by door and outcome (new, duplicate, skipped)',
      labelNames: ['door', 'outcome'],
      registers: [registry],
    }),
    webhookStreams: new Gauge({
      name: 'dutydesk_webhook_streams',
      help: 'Webhook subscriptions this node is delivering now (it holds their lease)',
      registers: [registry],
    }),
    mailReceived: new Counter({
      name: 'dutydesk_mail_received_total',
      help: 'Mails the e-mail intake took in, by source (smtp, imap) and outcome (ticket, reply)',
      labelNames: ['source', 'outcome'],
      registers: [registry],
    }),
    mailIgnored: new Counter({
      name: 'dutydesk_mail_ignored_total',
      help: 'Mails taken but ignored, by source and reason (auto_reply, bounce, loop, duplicate, no_sender)',
      labelNames: ['source', 'reason'],
      registers: [registry],
    }),
    mailRefused: new Counter({
      name: 'dutydesk_mail_refused_total',
      help: 'Mails refused, by source and reason (size, recipient, auth, retry)',
      labelNames: ['source', 'reason'],
      registers: [registry],
    }),
  };
}
