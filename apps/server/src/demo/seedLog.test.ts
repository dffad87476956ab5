import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../config';
import { createLogger } from '../log';
import { startServer } from '../server';
import { ADMIN_PASSWORD } from '../testing/harness';
import { DEMO_PASSWORD } from './seed';

describe('the demo seed', () => {
  it('logs that it seeded and where the password is written, never the password', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dutydesk-seedlog-'));
    let output = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        output += chunk.toString();
        done();
      },
    });
    const server = await startServer({
      config: readConfig({
        PORT: '0',
        DUTYDESK_DATA_DIR: dataDir,
        DUTYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
        DUTYDESK_DEMO: '1',
      }),
      log: createLogger('info', sink),
    });
    try {
      expect(output).toContain('demo desk seeded');
      expect(output).toContain('README.md');
      expect(output).not.toContain(DEMO_PASSWORD);
      expect(output).not.toContain(ADMIN_PASSWORD);
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
