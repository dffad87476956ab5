/**
 * `pnpm bench`: runs the benches one after the other, each in its own process, and stops at the
 * first failure. Extra arguments go to the fan-out bench (e.g. `pnpm bench --seats 500`).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const extra = process.argv.slice(2);
const benches: Array<[string, string[]]> = [
  ['bench/sla.bench.ts', []],
  [
    'bench/fanout.ts',
    extra.length > 0
      ? extra
      : ['--seats', '1000', '--nodes', '1', '--rate', '100', '--seconds', '20'],
  ],
  ['bench/resume.ts', []],
  ['bench/intake.ts', []],
];
for (const [file, args] of benches) {
  process.stdout.write(`\n== ${file} ${args.join(' ')}\n`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', join(root, file), ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  if (res.status !== 0) {
    process.stderr.write(`${file} failed (${res.status ?? res.signal})\n`);
    process.exit(1);
  }
}
