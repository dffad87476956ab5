import { eq, sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../db/client';
import { commandResults } from '../db/schema/index';

/** The stored first result of a command id, or null. */
export async function findCommandResult(
  db: Db | Tx,
  commandId: string,
): Promise<{ actorId: string; result: unknown } | null> {
  const [row] = await db
    .select()
    .from(commandResults)
    .where(eq(commandResults.commandId, commandId));
  return row ? { actorId: row.actorId, result: row.result } : null;
}

/** Stores a command's first result (its ack) under its id, for retries. */
export async function saveCommandResult(
  tx: Tx,
  commandId: string,
  actorId: string,
  result: unknown,
  at: Date,
): Promise<void> {
  await tx.insert(commandResults).values({ commandId, actorId, result, createdAt: at });
}

/**
 * Serialises retries of one commandId until the transaction ends and returns the stored first
 * result, if any, in one round trip (`dutydesk_claim_command`, drizzle/0006_claim_command.sql:
 * an advisory lock on the id, then the stored result).
 */
export async function claimCommand(
  tx: Tx,
  commandId: string,
): Promise<{ actorId: string; result: unknown } | null> {
  const rows = await queryRows<{ actor_id: string; result: unknown }>(
    tx,
    sql`select actor_id, result from dutydesk_claim_command(${commandId})`,
  );
  const row = rows[0];
  return row ? { actorId: row.actor_id, result: row.result } : null;
}
