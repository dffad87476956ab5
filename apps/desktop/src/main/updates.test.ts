// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { resolveUpdateFeed, startUpdateChecks } from './updates';
import type { AppUpdaterLike, UpdateDeps } from './updates';

function fakeUpdater(check: () => Promise<unknown> = () => Promise.resolve(null)) {
  const listeners = new Map<string, (arg: never) => void>();
  const updater = {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    setFeedURL: vi.fn(),
    checkForUpdates: vi.fn(check),
    on: vi.fn((event: string, listener: (arg: never) => void) => {
      listeners.set(event, listener);
      return updater;
    }),
  };
  return { updater: updater as typeof updater & AppUpdaterLike, listeners };
}

function deps(over: Partial<UpdateDeps> = {}) {
  const { updater, listeners } = fakeUpdater();
  const timers: Array<{ run: () => void; ms: number; unref: ReturnType<typeof vi.fn> }> = [];
  const d = {
    isPackaged: true,
    feedUrl: 'https://desk.example.com/updates/',
    loadUpdater: vi.fn(() => Promise.resolve(updater)),
    log: vi.fn(),
    notifyReady: vi.fn(),
    setInterval: vi.fn((run: () => void, ms: number) => {
      const timer = { run, ms, unref: vi.fn() };
      timers.push(timer);
      return timer;
    }),
    ...over,
  };
  return { d, updater, listeners, timers };
}

describe('update feed', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['not a url', null],
    ['https://desk.example.com/updates', 'https://desk.example.com/updates/'],
    ['https://desk.example.com/updates/', 'https://desk.example.com/updates/'],
    ['http://127.0.0.1:3000/updates/', 'http://127.0.0.1:3000/updates/'],
    ['http://localhost:3000/updates', 'http://localhost:3000/updates/'],
    ['http://desk.example.com/updates/', null],
    ['https://user:pw@desk.example.com/updates/', null],
    ['https://desk.example.com/updates/?x=1', null],
    ['file:///tmp/updates/', null],
  ])('DUTYDESK_UPDATE_URL=%j → %j', (raw, expected) => {
    expect(resolveUpdateFeed({ DUTYDESK_UPDATE_URL: raw })).toBe(expected);
  });
});

describe('update checks', () => {
  it('never load the updater in an unpackaged app (pnpm start, tests)', async () => {
    const { d } = deps({ isPackaged: false });
    expect(await startUpdateChecks(d)).toBe('not-packaged');
    expect(d.loadUpdater).not.toHaveBeenCalled();
    expect(d.setInterval).not.toHaveBeenCalled();
  });

  it('never load the updater without a feed', async () => {
    const { d } = deps({ feedUrl: null });
    expect(await startUpdateChecks(d)).toBe('no-feed');
    expect(d.loadUpdater).not.toHaveBeenCalled();
  });

  it('point the generic provider at the feed, check now and every 4 hours', async () => {
    const { d, updater, timers } = deps();
    expect(await startUpdateChecks(d)).toBe('started');
    expect(updater.setFeedURL).toHaveBeenCalledWith({
      provider: 'generic',
      url: 'https://desk.example.com/updates/',
    });
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(timers).toHaveLength(1);
    expect(timers[0]?.ms).toBe(4 * 3_600_000);
    expect(timers[0]?.unref).toHaveBeenCalled();
    timers[0]?.run();
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(2);
  });

  it('tell the user when an update is downloaded', async () => {
    const { d, listeners } = deps();
    await startUpdateChecks(d);
    listeners.get('update-downloaded')?.({ version: '0.2.0' } as never);
    expect(d.notifyReady).toHaveBeenCalledWith('0.2.0');
  });

  it('log every failure and never throw', async () => {
    const failing = fakeUpdater(() => Promise.reject(new Error('ECONNREFUSED')));
    const { d } = deps({ loadUpdater: vi.fn(() => Promise.resolve(failing.updater)) });
    expect(await startUpdateChecks(d)).toBe('started');
    await vi.waitFor(() =>
      expect(d.log).toHaveBeenCalledWith('update check failed', expect.any(Error)),
    );
    failing.listeners.get('error')?.(new Error('sha512 mismatch') as never);
    expect(d.log).toHaveBeenCalledTimes(2);

    const throwing = fakeUpdater(() => {
      throw new Error('sync throw');
    });
    const t = deps({ loadUpdater: vi.fn(() => Promise.resolve(throwing.updater)) });
    expect(await startUpdateChecks(t.d)).toBe('started');
    expect(t.d.log).toHaveBeenCalledWith('update check failed', expect.any(Error));

    const missing = deps({ loadUpdater: vi.fn(() => Promise.reject(new Error('no module'))) });
    expect(await startUpdateChecks(missing.d)).toBe('failed');
    expect(missing.d.log).toHaveBeenCalledWith('auto-update unavailable', expect.any(Error));

    const badNotify = deps({
      notifyReady: vi.fn(() => {
        throw new Error('no notification server');
      }),
    });
    await startUpdateChecks(badNotify.d);
    expect(() =>
      badNotify.listeners.get('update-downloaded')?.({ version: '1' } as never),
    ).not.toThrow();
    expect(badNotify.d.log).toHaveBeenCalledWith('update notification failed', expect.any(Error));
  });
});
