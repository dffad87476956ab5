import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { readConfig } from './config';
import { systemClock } from './clock';
import type { AppContext } from './context';
import { openDatabase } from './db/client';
import { DataDirInUseError } from './db/dataDirLock';
import { findUserByUsername, listUsers } from './features/auth/auth.repo';
import { createUser, revokeUser } from './features/auth/auth.service';
import { disableUser, enableUser, resetPasswordAs } from './features/users/accounts.service';
import { createMetrics } from './features/health/metrics';
import { defaultSlaSettings } from './features/sla/settings';
import { HttpError } from './http/errors';
import { createLogger } from './log';
import { AUDIT_USAGE, runAuditCommand } from './features/events/audit.cli';
import { createCommandBus } from './commands';
import { createSlaRuntime } from './features/sla/runtime';
import { createReadGate } from './realtime/readGate';

const USAGE = `Usage: pnpm dutydesk <command>

  user add <username> --role <role> [--role …] [--group <id> …] [--name "Display name"] [--password <pw>]
  user list
  user revoke <username>                      end every session of the user
  user disable <username>                     no sign-in, sessions and devices end (not the last admin)
  user enable <username>
  user reset-password <username> [--password <pw>]   sessions end; asks for the password
${AUDIT_USAGE}

Uses DATABASE_URL or DUTYDESK_DATA_DIR like the server. On the embedded database,
stop the server first (one process per data folder) or use the REST API.`;

async function readPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  try {
    return await rl.question('Password (8+ characters, not a common one): ');
  } finally {
    rl.close();
  }
}

/** Runs one CLI command; returns the process exit code. */
export async function runCli(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
): Promise<number> {
  const [group, action, ...rest] = argv;
  if (!group || group === 'help' || group === '--help') {
    out(`${USAGE}\n`);
    return group ? 0 : 2;
  }
  const config = readConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const log = createLogger('warn');
  const metrics = createMetrics();
  const publish = (): void => {};
  // The CLI runs no commands: a bus with none registered answers `unavailable`.
  const ctx: AppContext = {
    database,
    clock: systemClock,
    log,
    config,
    metrics,
    sla: defaultSlaSettings,
    slaRuntime: createSlaRuntime(),
    readGate: createReadGate(config.readConcurrency, config.readConcurrencyTotal),
    commands: createCommandBus({ database, clock: systemClock, log, metrics, config, publish }),
    dropSessions: () => {},
    publish,
  };
  try {
    if (group === 'user' && action === 'add') {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          role: { type: 'string', multiple: true },
          group: { type: 'string', multiple: true },
          name: { type: 'string' },
          password: { type: 'string' },
          locale: { type: 'string' },
        },
      });
      const username = positionals[0];
      if (!username) throw new HttpError('invalid', 'user add needs a username');
      const password = values.password ?? (await readPassword());
      const user = await createUser(ctx, {
        username,
        password,
        displayName: values.name ?? username,
        roles: values.role ?? [],
        groups: values.group ?? [],
        ...(values.locale ? { locale: values.locale } : {}),
      });
      out(`created ${user.username} (${user.roles.join(', ')}) id ${user.id}\n`);
      return 0;
    }
    if (group === 'user' && action === 'list') {
      for (const u of await listUsers(database.db)) {
        out(
          `${u.username.padEnd(20)} ${u.roles.join(',').padEnd(24)} ${u.groupIds.join(',').padEnd(20)} ${u.disabled ? '[disabled] ' : ''}${u.displayName}\n`,
        );
      }
      return 0;
    }
    if (group === 'user' && action === 'revoke') {
      const user = rest[0] ? await findUserByUsername(database.db, rest[0]) : null;
      if (!user) throw new HttpError('not_found', `No user "${rest[0] ?? ''}"`);
      out(`revoked ${await revokeUser(ctx, user.id)} session(s) of ${user.username}\n`);
      return 0;
    }
    if (group === 'user' && (action === 'disable' || action === 'enable')) {
      const user = rest[0] ? await findUserByUsername(database.db, rest[0]) : null;
      if (!user) throw new HttpError('not_found', `No user "${rest[0] ?? ''}"`);
      if (action === 'disable') {
        const { revoked } = await disableUser(ctx, null, user.id);
        out(`disabled ${user.username}; ${revoked} session(s) ended\n`);
      } else {
        await enableUser(ctx, null, user.id);
        out(`enabled ${user.username}\n`);
      }
      return 0;
    }
    if (group === 'user' && action === 'reset-password') {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { password: { type: 'string' } },
      });
      const user = positionals[0] ? await findUserByUsername(database.db, positionals[0]) : null;
      if (!user) throw new HttpError('not_found', `No user "${positionals[0] ?? ''}"`);
      const password = values.password ?? (await readPassword());
      const { revoked } = await resetPasswordAs(ctx, null, user.id, { password });
      out(`password of ${user.username} reset; ${revoked} session(s) ended\n`);
      return 0;
    }
    if (group === 'audit') {
      const code = await runAuditCommand(database, config, action, rest, out);
      if (code !== null) return code;
    }
    out(`${USAGE}\n`);
    return 2;
  } catch (err) {
    if (err instanceof HttpError) {
      const fields = err.fields?.map((f) => `\n  ${f.path}: ${f.message}`).join('') ?? '';
      out(`dutydesk: ${err.message}${fields}\n`);
      return 1;
    }
    throw err;
  } finally {
    await database.close();
  }
}

const isMain =
  process.argv[1] &&
  import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isMain) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof DataDirInUseError) process.stderr.write(`dutydesk: ${err.message}\n`);
      else process.stderr.write(`dutydesk: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
