import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../context';
import { createLogger } from '../../log';
import { systemClock } from '../../clock';
import { registerCollectors } from './collectors';
import { createMetrics } from './metrics';
import { createSlaRuntime } from '../sla';

const docs = (path: string): string =>
  readFileSync(fileURLToPath(new URL(`../../../../../docs/${path}`, import.meta.url)), 'utf8');

/** Every metric family a node can export (PostgreSQL, so the pool gauges too), with its type. */
function exported(): Map<string, string> {
  const metrics = createMetrics();
  const ctx = {
    metrics,
    clock: systemClock,
    log: createLogger('silent'),
    slaRuntime: createSlaRuntime(),
    database: {
      kind: 'postgres',
      poolStats: () => ({ total: 0, idle: 0, waiting: 0, max: 20 }),
    },
  } as unknown as AppContext;
  registerCollectors(ctx);
  return new Map(
    metrics.registry
      .getMetricsAsArray()
      .map((m) => [m.name, (m as unknown as { type: string }).type] as const),
  );
}

/** A name in a query, as the family it belongs to (`x_bucket` of histogram `x` → `x`). */
function familyOf(name: string, families: Map<string, string>): string {
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && families.get(base) === 'histogram' ? base : name;
}

function exprsOf(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) exprsOf(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'expr' || k === 'definition') && typeof v === 'string') out.push(v);
      else exprsOf(v, out);
    }
  }
  return out;
}

describe('docs/grafana/dutydesk.json and docs/operations.md', () => {
  const families = exported();

  it('the dashboard queries only metrics the server exports, and shows every application one', () => {
    const dashboard = JSON.parse(docs('grafana/dutydesk.json')) as { panels: unknown[] };
    const exprs = exprsOf(dashboard);
    expect(exprs.length).toBeGreaterThan(20);
    const used = new Set<string>();
    for (const expr of exprs) {
      for (const [name] of expr.matchAll(/\bdutydesk_[a-z0-9_]+/g)) {
        const family = familyOf(name, families);
        expect(families.has(family), `${name} in ${expr}`).toBe(true);
        used.add(family);
      }
    }
    const application = [...families.keys()].filter(
      (n) => !n.startsWith('dutydesk_process_') && !n.startsWith('dutydesk_nodejs_'),
    );
    expect(application.filter((n) => !used.has(n))).toEqual([]);
  });

  it('operations.md documents every application metric and names no other', () => {
    const text = docs('operations.md');
    const named = new Set(
      [...text.matchAll(/`(dutydesk_[a-z0-9_]+)/g)].map((m) => familyOf(m[1] ?? '', families)),
    );
    for (const name of families.keys()) {
      if (name.startsWith('dutydesk_process_') || name.startsWith('dutydesk_nodejs_')) continue;
      expect(named.has(name), `${name} is not in docs/operations.md`).toBe(true);
    }
    for (const name of named) {
      if (name === 'dutydesk_process_' || name === 'dutydesk_nodejs_') continue;
      expect(families.has(name), `docs/operations.md names ${name}`).toBe(true);
    }
  });
});
