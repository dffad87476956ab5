import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, PGLITE_PG_MAJOR } from './client';

const folders: string[] = [];
const freshFolder = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'dutydesk-pgver-'));
  folders.push(dir);
  return dir;
};

// The PGlite upgrade plan (docs/decisions.md 17.5): a data folder is bound to one PostgreSQL
// major; a folder of another one is refused with what to do, before PGlite tries to open it.
describe('PGlite data folders and the PostgreSQL major version', () => {
  afterAll(() => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it('the installed PGlite is the PostgreSQL major PGLITE_PG_MAJOR says, and its folders say so too', async () => {
    const dir = freshFolder();
    const db = await openDatabase({ dataDir: dir });
    try {
      const rows = (await db.db.execute(
        'select current_setting($$server_version_num$$) v',
      )) as unknown as {
        rows: Array<{ v: string }>;
      };
      expect(String(Math.floor(Number(rows.rows[0]?.v) / 10_000))).toBe(PGLITE_PG_MAJOR);
    } finally {
      await db.close();
    }
    expect(readFileSync(join(dir, 'pglite', 'PG_VERSION'), 'utf8').trim()).toBe(PGLITE_PG_MAJOR);
    // Written by this version: it opens again.
    const again = await openDatabase({ dataDir: dir });
    await again.close();
  });

  it('a folder written by another PostgreSQL major is refused with the way out, and stays as it was', async () => {
    const dir = freshFolder();
    mkdirSync(join(dir, 'pglite'));
    writeFileSync(join(dir, 'pglite', 'PG_VERSION'), '18\n');
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(
      /written by PostgreSQL 18; this PGlite is PostgreSQL 17\. .*dump and restore/,
    );
    expect(readFileSync(join(dir, 'pglite', 'PG_VERSION'), 'utf8')).toBe('18\n');
    // The refusal released the folder lock: the next try gets the same answer, not "locked".
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/written by PostgreSQL 18/);
  });
});
