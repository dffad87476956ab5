// electron-builder `afterSign` hook: notarizes the signed macOS app with Apple when — and only
// when — notarization credentials are in the environment, and says which way it went. Builds
// without credentials (every Linux/Windows build, a developer's unsigned dmg) skip it with one
// log line. electron-builder's own notarization is switched off (`mac.notarize: false` in
// electron-builder.yml) so this hook is the one place it happens.
//
// Credentials, the first complete set wins (Apple's recommended first):
//   APPLE_API_KEY (path to the .p8), APPLE_API_KEY_ID, APPLE_API_ISSUER
//   APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID
//   APPLE_KEYCHAIN_PROFILE (and optionally APPLE_KEYCHAIN)
import { createRequire } from 'node:module';
import path from 'node:path';

/** The notarize options for the first complete credential set in `env`, or null. */
export function notarizeCredentials(env) {
  const has = (...names) => names.every((name) => (env[name] ?? '').trim() !== '');
  if (has('APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER')) {
    return {
      kind: 'api-key',
      options: {
        appleApiKey: env.APPLE_API_KEY,
        appleApiKeyId: env.APPLE_API_KEY_ID,
        appleApiIssuer: env.APPLE_API_ISSUER,
      },
    };
  }
  if (has('APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID')) {
    return {
      kind: 'apple-id',
      options: {
        appleId: env.APPLE_ID,
        appleIdPassword: env.APPLE_APP_SPECIFIC_PASSWORD,
        teamId: env.APPLE_TEAM_ID,
      },
    };
  }
  if (has('APPLE_KEYCHAIN_PROFILE')) {
    return {
      kind: 'keychain',
      options: {
        keychainProfile: env.APPLE_KEYCHAIN_PROFILE,
        ...(env.APPLE_KEYCHAIN ? { keychain: env.APPLE_KEYCHAIN } : {}),
      },
    };
  }
  return null;
}

/** @electron/notarize comes with electron-builder (app-builder-lib depends on it). */
async function loadNotarize() {
  const fromHere = createRequire(import.meta.url);
  const builderLib = createRequire(fromHere.resolve('electron-builder')).resolve('app-builder-lib');
  const notarizePath = createRequire(builderLib).resolve('@electron/notarize');
  return import(notarizePath);
}

export async function afterSign(
  context,
  { env = process.env, log = console.log, load = loadNotarize } = {},
) {
  if (context.electronPlatformName !== 'darwin') return 'not-mac';
  const credentials = notarizeCredentials(env);
  if (!credentials) {
    log(
      'notarize: skipped — no Apple credentials in the environment ' +
        '(APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER, or APPLE_ID + ' +
        'APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID, or APPLE_KEYCHAIN_PROFILE)',
    );
    return 'skipped';
  }
  const appName = context.packager.appInfo.productFilename;
  const appPath = path.join(context.appOutDir, `${appName}.app`);
  log(`notarize: ${appPath} with ${credentials.kind} credentials…`);
  const { notarize } = await load();
  await notarize({ appPath, ...credentials.options });
  log('notarize: done');
  return 'notarized';
}

export default afterSign;
