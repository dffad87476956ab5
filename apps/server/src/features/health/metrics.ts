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
  };
}
