import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ServerConfig } from '../../config';
import type { Database } from '../../db/client';
import { verifyAudit } from './audit';
import {
  loadAuditKey,
  publicAuditKey,
  publicKeyPem,
  signCheckpoint,
  type AuditKey,
  type Checkpoint,
} from './checkpoints';
import { insertCheckpoint, listCheckpoints, readHead } from './checkpoints.repo';

/** The `audit` lines of the CLI's usage. */
export const AUDIT_USAGE = `  audit verify [--checkpoints <file>]   (chain, signed checkpoints, tickets, command results;
                                         <file>: an export or a log file: the stronger anchor)
  audit checkpoints [--export <file>]    (every signed checkpoint and the public key, as JSON)
  audit checkpoint                       (sign the current head now, e.g. before a backup)`;

const EXPORT_FORMAT = 'dutydesk-audit-checkpoints/1';

function isCheckpoint(v: unknown): v is Checkpoint {
  const c = v as Partial<Record<keyof Checkpoint, unknown>> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    Number.isSafeInteger(c.seq) &&
    typeof c.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(c.hash) &&
    typeof c.at === 'string' &&
    typeof c.keyId === 'string' &&
    typeof c.signature === 'string'
  );
}

/**
 * Checkpoints kept outside the database: an export (`audit checkpoints --export`) or the
 * server's log output (JSON lines; those with `msg: "audit checkpoint"`). An export's public
 * key comes along.
 */
export function readExternalCheckpoints(file: string): {
  checkpoints: Checkpoint[];
  key: AuditKey | null;
} {
  const text = readFileSync(file, 'utf8');
  try {
    const doc = JSON.parse(text) as {
      format?: unknown;
      checkpoints?: unknown;
      publicKey?: unknown;
    };
    if (doc.format === EXPORT_FORMAT && Array.isArray(doc.checkpoints)) {
      return {
        checkpoints: doc.checkpoints.filter(isCheckpoint),
        key: typeof doc.publicKey === 'string' ? publicAuditKey(doc.publicKey) : null,
      };
    }
  } catch (_e) {
    // not one JSON document: read it as log lines
  }
  const checkpoints: Checkpoint[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"checkpoint"')) continue;
    try {
      const entry = JSON.parse(line) as { checkpoint?: unknown };
      if (isCheckpoint(entry.checkpoint)) checkpoints.push(entry.checkpoint);
    } catch (_e) {
      // a line that is not JSON: skip it
    }
  }
  return { checkpoints, key: null };
}

/** Runs `audit <action>`; null when the action is not an audit one. */
export async function runAuditCommand(
  database: Database,
  config: ServerConfig,
  action: string | undefined,
  args: string[],
  out: (s: string) => void,
): Promise<number | null> {
  const { db } = database;
  // The verifier never creates a key: a missing one means signatures go unchecked, said so.
  const ownKey = loadAuditKey(config.auditKeyFile, { create: false });
  if (action === 'verify') {
    const { values } = parseArgs({ args, options: { checkpoints: { type: 'string' } } });
    const external = values.checkpoints ? readExternalCheckpoints(values.checkpoints) : null;
    const keys = [ownKey, external?.key].filter((k): k is AuditKey => k != null);
    const r = await verifyAudit(db, { keys, external: external?.checkpoints });
    for (const p of r.problems) {
      out(
        p.kind === 'chain'
          ? `audit chain BROKEN at seq ${p.seq}: ${p.message} (${r.events} events checked before it)\n`
          : `audit FAILED (${p.kind}): ${p.message}\n`,
      );
    }
    for (const n of r.notes) out(`note: ${n}\n`);
    const summary = `${r.events} events, ${r.checkpoints.stored} stored and ${r.checkpoints.external} external checkpoints (${r.checkpoints.signatureChecked} signatures checked, latest seq ${r.checkpoints.latestSeq}), ${r.tickets} tickets recomputed, ${r.commandResults} command results`;
    if (r.ok) {
      out(`audit chain intact: ${summary}\n`);
      return 0;
    }
    out(`audit FAILED: ${r.problems.length} problem(s); checked ${summary}\n`);
    return 1;
  }
  if (action === 'checkpoints') {
    const { values } = parseArgs({ args, options: { export: { type: 'string' } } });
    const doc = {
      format: EXPORT_FORMAT,
      exportedAt: new Date().toISOString(),
      keyId: ownKey?.keyId ?? null,
      publicKey: ownKey ? publicKeyPem(ownKey) : null,
      head: await readHead(db),
      checkpoints: await listCheckpoints(db),
    };
    const json = `${JSON.stringify(doc, null, 2)}\n`;
    if (values.export) {
      writeFileSync(values.export, json);
      out(`exported ${doc.checkpoints.length} checkpoint(s) to ${values.export}\n`);
    } else out(json);
    return 0;
  }
  if (action === 'checkpoint') {
    if (!ownKey) {
      out(
        `dutydesk: no audit key at ${config.auditKeyFile} (the server makes it on first start)\n`,
      );
      return 1;
    }
    const head = await readHead(db);
    if (!head) {
      out('the event log is empty: nothing to sign\n');
      return 0;
    }
    const c = signCheckpoint(ownKey, head, new Date());
    await insertCheckpoint(db, c);
    out(`${JSON.stringify(c)}\n`);
    return 0;
  }
  return null;
}
