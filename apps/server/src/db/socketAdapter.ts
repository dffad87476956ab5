import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';
import type { Logger } from '../log';

/**
 * The Socket.IO adapter that fans events, room operations and `fetchSockets` out across every
 * node on one PostgreSQL database (LISTEN/NOTIFY, with `socket_io_attachments` for large
 * payloads). Returns the adapter factory and a close function for shutdown.
 */
export function createPostgresAdapter(
  url: string,
  log: Logger,
): { adapter: ReturnType<typeof createAdapter>; close: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', (err) => log.warn({ err }, 'socket adapter pool error'));
  // The adapter's LISTEN client is checked out for good and has no 'error' handler of its own:
  // a database restart would crash the process. Handle it here; the adapter reconnects on 'end'.
  pool.on('connect', (client) =>
    client.on('error', (err) => log.warn({ err: err.message }, 'socket adapter connection lost')),
  );
  const adapter = createAdapter(pool, {
    tableName: 'socket_io_attachments',
    errorHandler: (err: Error) => log.warn({ err }, 'socket adapter error'),
  });
  return { adapter, close: () => pool.end() };
}
