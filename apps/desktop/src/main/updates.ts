/**
 * Auto-update through electron-updater's `generic` provider against the Dutydesk server's
 * `/updates/` (a folder of electron-builder output the server serves: `latest*.yml`, the
 * installers, their blockmaps). Only a packaged app with a configured feed checks; every
 * failure is logged and never reaches the user as a crash. The updater downloads in the
 * background and installs on quit; the shell tells the user in their language when one is
 * ready (instead of electron-updater's English notification).
 */

/** What the shell uses of electron-updater's `autoUpdater`. */
export interface AppUpdaterLike {
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
}

export interface UpdateDeps {
  isPackaged: boolean;
  /** From {@link resolveUpdateFeed}; null: no updates. */
  feedUrl: string | null;
  /** `import('electron-updater')`, loaded only when updates are on. */
  loadUpdater(): Promise<AppUpdaterLike>;
  log(message: string, error?: unknown): void;
  /** An update is downloaded and will be installed on quit. */
  notifyReady(version: string): void;
  /** How often to look again (default 4 h); the timer never keeps the app alive. */
  intervalMs?: number;
  setInterval?(run: () => void, ms: number): { unref?(): void };
}

export type UpdateStart = 'not-packaged' | 'no-feed' | 'started' | 'failed';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * `DUTYDESK_UPDATE_URL`: the feed, normally `https://<dutydesk server>/updates/`. https only,
 * except on loopback (a developer's own server): the feed says which file to install, so it
 * must not be open to a network in between. Anything else: no updates.
 * @example resolveUpdateFeed({ DUTYDESK_UPDATE_URL: 'https://desk.example.com/updates' })
 *   // 'https://desk.example.com/updates/'
 */
export function resolveUpdateFeed(env: Record<string, string | undefined>): string | null {
  const raw = env['DUTYDESK_UPDATE_URL']?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    return null;
  }
  const secure =
    url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (!secure) return null;
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** Starts background update checks when packaged and configured; says why not otherwise. */
export async function startUpdateChecks(deps: UpdateDeps): Promise<UpdateStart> {
  if (!deps.isPackaged) return 'not-packaged';
  if (!deps.feedUrl) return 'no-feed';
  const feedUrl = deps.feedUrl;
  try {
    const updater = await deps.loadUpdater();
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    updater.on('error', (error) => deps.log('update check failed', error));
    updater.on('update-downloaded', (info) => {
      try {
        deps.notifyReady(info.version);
      } catch (error) {
        deps.log('update notification failed', error);
      }
    });
    updater.setFeedURL({ provider: 'generic', url: feedUrl });
    const check = (): void => {
      try {
        updater.checkForUpdates().catch((error: unknown) => deps.log('update check failed', error));
      } catch (error) {
        deps.log('update check failed', error);
      }
    };
    check();
    const timer = (deps.setInterval ?? setInterval)(check, deps.intervalMs ?? 4 * 3_600_000);
    timer.unref?.();
    return 'started';
  } catch (error) {
    deps.log('auto-update unavailable', error);
    return 'failed';
  }
}
