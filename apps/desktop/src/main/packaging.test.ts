// @vitest-environment node
/**
 * The packaging configuration as electron-builder will read it: the fuses, the icons, the
 * update feed, signing left to the environment, and the notarize hook.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { afterSign, notarizeCredentials } from '../../scripts/notarize.mjs';

const desktopDir = fileURLToPath(new URL('../../', import.meta.url));
const requireHere = createRequire(import.meta.url);
// electron-builder's own YAML parser and schema check (app-builder-lib comes with it).
const builderLib = createRequire(requireHere.resolve('electron-builder')).resolve(
  'app-builder-lib',
);
const requireLib = createRequire(builderLib);
const yaml = requireLib('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  appId: string;
  electronFuses: Record<string, boolean>;
  afterSign: string;
  publish: Array<{ provider: string; url: string }>;
  mac: { icon: string; notarize: boolean; target: string[]; hardenedRuntime: boolean };
  win: { icon: string };
  linux: { icon: string; target: string[] };
  directories: { buildResources: string };
}

const config = yaml.load(
  readFileSync(`${desktopDir}electron-builder.yml`, 'utf8'),
) as BuilderConfig;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe('electron-builder config', () => {
  it('is valid for this electron-builder version', async () => {
    const { validateConfiguration } = requireLib('./util/config/config.js') as {
      validateConfiguration(config: unknown, log: unknown): Promise<void>;
    };
    const { DebugLogger } = createRequire(requireHere.resolve('electron-builder'))(
      'builder-util',
    ) as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('flips every fuse the shell does without', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('writes generic update manifests, and mac has the zip the updater needs', () => {
    expect(config.publish).toEqual([
      { provider: 'generic', url: 'http://127.0.0.1:3000/updates/' },
    ]);
    expect(config.mac.target).toContain('zip');
    expect(config.linux.target).toContain('AppImage');
  });

  it('leaves signing to the environment and notarizes only in its own hook', () => {
    const text = readFileSync(`${desktopDir}electron-builder.yml`, 'utf8');
    expect(text).not.toMatch(/^\s*(certificateFile|certificatePassword|identity)\s*:/m);
    expect(config.mac.notarize).toBe(false);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(existsSync(`${desktopDir}${config.afterSign}`)).toBe(true);
  });
});

describe('icons', () => {
  it('has a PNG of the size its name says for every Linux size and a 1024 icon.png', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      const png = readFileSync(`${desktopDir}${config.linux.icon}/${size}x${size}.png`);
      expect(pngSize(png), `${size}x${size}.png`).toEqual([size, size]);
    }
    expect(pngSize(readFileSync(`${desktopDir}${config.mac.icon}`))).toEqual([1024, 1024]);
  });

  it('has an icon.ico whose entries are the PNGs of the set', () => {
    const ico = readFileSync(`${desktopDir}${config.win.icon}`);
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const entry = 6 + 16 * i;
      const size = ico.readUInt8(entry) || 256;
      const length = ico.readUInt32LE(entry + 8);
      const offset = ico.readUInt32LE(entry + 12);
      const png = ico.subarray(offset, offset + length);
      expect(png.equals(readFileSync(`${desktopDir}build/icons/${size}x${size}.png`))).toBe(true);
      sizes.push(size);
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });
});

describe('notarize hook', () => {
  const context = {
    electronPlatformName: 'darwin',
    appOutDir: '/out/mac',
    packager: { appInfo: { productFilename: 'Dutydesk' } },
  };

  it('does nothing off macOS', async () => {
    const load = vi.fn();
    expect(await afterSign({ ...context, electronPlatformName: 'win32' }, { env: {}, load })).toBe(
      'not-mac',
    );
    expect(load).not.toHaveBeenCalled();
  });

  it('skips without credentials, and says so', async () => {
    const log = vi.fn();
    const load = vi.fn();
    const env = { APPLE_ID: 'ops@example.com', APPLE_TEAM_ID: 'TEAM' }; // no password: incomplete
    expect(await afterSign(context, { env, log, load })).toBe('skipped');
    expect(load).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(
      expect.stringMatching(/^notarize: skipped — no Apple credentials/),
    );
  });

  it('notarizes the signed app with the first complete credential set', async () => {
    const notarize = vi.fn(() => Promise.resolve());
    const env = {
      APPLE_ID: 'ops@example.com',
      APPLE_APP_SPECIFIC_PASSWORD: 'abcd-efgh',
      APPLE_TEAM_ID: 'TEAM123',
    };
    expect(await afterSign(context, { env, log: vi.fn(), load: async () => ({ notarize }) })).toBe(
      'notarized',
    );
    expect(notarize).toHaveBeenCalledWith({
      appPath: '/out/mac/Dutydesk.app',
      appleId: 'ops@example.com',
      appleIdPassword: 'abcd-efgh',
      teamId: 'TEAM123',
    });
    expect(
      notarizeCredentials({
        ...env,
        APPLE_API_KEY: '/keys/AuthKey.p8',
        APPLE_API_KEY_ID: 'KEY',
        APPLE_API_ISSUER: 'ISSUER',
      })?.kind,
    ).toBe('api-key');
    expect(notarizeCredentials({ APPLE_KEYCHAIN_PROFILE: 'dutydesk' })?.kind).toBe('keychain');
    expect(notarizeCredentials({})).toBeNull();
  });

  it('finds @electron/notarize through electron-builder', () => {
    const builder = createRequire(requireHere.resolve('electron-builder'));
    const notarizePath = createRequire(builder.resolve('app-builder-lib')).resolve(
      '@electron/notarize',
    );
    expect(existsSync(notarizePath)).toBe(true);
  });
});
