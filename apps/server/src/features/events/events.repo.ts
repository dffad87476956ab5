import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';

/** The newest committed seq (0 on an empty log). */
export async function readCurrentSeq(db: Db): Promise<number> {
  const rows = await queryRows<{ seq: string | number | null }>(
    db,
    sql`select max(seq) as seq from events`,
  );
  const v = rows[0]?.seq;
  return v == null ? 0 : Number(v);
}
