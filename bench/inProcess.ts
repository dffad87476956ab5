/** A Dutydesk server in this process, on a fresh data folder, for the benches that call it directly. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../apps/server/src/config';
import { createLogger } from '../apps/server/src/log';
import { startServer } from '../apps/server/src/server';
import { actorFromUser } from '../apps/server/src/features/tickets/actor';
import { findUserByUsername, toPublicUser } from '../apps/server/src/features/auth/auth.repo';
import { ADMIN_PASSWORD, onCleanup } from './lib';

/**
 * Starts a silent server on port 0 with a data folder under `tmpdir()` named from `prefix`,
 * the bench admin password and no practical command rate limit (`env` added last); both are
 * removed by `runCleanups`. Returns the server and the admin as a command actor.
 */
export async function startInProcessServer(prefix: string, env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startServer({
    config: readConfig({
      PORT: '0',
      DUTYDESK_DATA_DIR: dataDir,
      DUTYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
      DUTYDESK_COMMAND_RATE: '1000000',
      ...env,
    }),
    log: createLogger('silent'),
  });
  onCleanup(() => server.close());
  const admin = await findUserByUsername(server.ctx.database.db, 'admin');
  if (!admin) throw new Error('no admin');
  return { server, actor: actorFromUser(toPublicUser(admin)) };
}
