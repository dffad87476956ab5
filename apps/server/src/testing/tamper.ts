import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';

/**
 * Runs statements against the append-only audit tables as an attacker with the tables' owner
 * rights would: in one transaction, the guarding triggers (drizzle/0008_audit_append_only.sql)
 * are disabled, the statements run, and the triggers are enabled again, so nothing else ever
 * sees the log unguarded. Tests use it to simulate tampering that `audit verify` must catch.
 */
export async function tamperAuditLog(db: Db, statements: SQL[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`alter table events disable trigger user`);
    await tx.execute(sql`alter table audit_checkpoints disable trigger user`);
    for (const s of statements) await tx.execute(s);
    await tx.execute(sql`alter table events enable trigger user`);
    await tx.execute(sql`alter table audit_checkpoints enable trigger user`);
  });
}
