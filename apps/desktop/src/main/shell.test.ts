// @vitest-environment node
/**
 * The main process as a whole (index.ts) against a mocked `electron`: what it wires at start
 * for a desk seat, the wallboard kiosk, macOS and Windows.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { IpcChannel } from '../shared/bridge';

const ORIGIN = 'http://127.0.0.1:3000';

const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  const emitter = () => {
    const listeners = new Map<string, Listener[]>();
    return {
      listeners,
      on: vi.fn((name: string, listener: Listener) => {
        listeners.set(name, [...(listeners.get(name) ?? []), listener]);
      }),
      fire: (name: string, ...args: unknown[]) => {
        for (const listener of listeners.get(name) ?? []) listener(...args);
      },
    };
  };
  class FakeWindow {
    static created: FakeWindow[] = [];
    readonly events = emitter();
    readonly webContents = { ...emitter(), send: vi.fn() };
    visible = false;
    readonly on = this.events.on;
    once = vi.fn();
    loadURL = vi.fn(() => Promise.resolve());
    show = vi.fn(() => {
      this.visible = true;
      this.events.fire('show');
    });
    isVisible = () => this.visible;
    isDestroyed = () => false;
    constructor(readonly options: unknown) {
      FakeWindow.created.push(this);
    }
    static fromWebContents = vi.fn(() => FakeWindow.created.at(-1) ?? null);
  }
  class FakeTray {
    static created: FakeTray[] = [];
    setToolTip = vi.fn();
    setTitle = vi.fn();
    setContextMenu = vi.fn();
    on = vi.fn();
    destroy = vi.fn();
    constructor() {
      FakeTray.created.push(this);
    }
  }
  class FakeNotification {
    static isSupported = () => true;
    on = vi.fn();
    show = vi.fn();
  }
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const appEvents = emitter();
  const blockers = new Set<number>();
  let nextBlocker = 1;
  return {
    FakeWindow,
    FakeTray,
    handlers,
    blockers,
    module: {
      app: {
        enableSandbox: vi.fn(),
        on: appEvents.on,
        requestSingleInstanceLock: () => true,
        quit: vi.fn(),
        whenReady: () => Promise.resolve(),
        getPreferredSystemLanguages: vi.fn(() => ['zh-CN', 'en-US']),
        isPackaged: false,
        getAppPath: () => '/app',
        getVersion: () => '0.1.0',
        setBadgeCount: vi.fn(),
        setAppUserModelId: vi.fn(),
      },
      BrowserWindow: FakeWindow,
      ipcMain: {
        handle: vi.fn((channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) =>
          handlers.set(channel, handler),
        ),
      },
      Menu: {
        setApplicationMenu: vi.fn(),
        buildFromTemplate: vi.fn((template: MenuItemConstructorOptions[]) => ({
          template,
          popup: vi.fn(),
        })),
      },
      Notification: FakeNotification,
      Tray: FakeTray,
      nativeImage: { createFromDataURL: vi.fn(() => ({})) },
      powerSaveBlocker: {
        start: vi.fn(() => {
          const id = nextBlocker++;
          blockers.add(id);
          return id;
        }),
        stop: vi.fn((id: number) => blockers.delete(id)),
        isStarted: vi.fn((id: number) => blockers.has(id)),
      },
      session: {
        defaultSession: {
          setPermissionRequestHandler: vi.fn(),
          setPermissionCheckHandler: vi.fn(),
          webRequest: { onHeadersReceived: vi.fn() },
        },
      },
      shell: { openExternal: vi.fn() },
    },
  };
});
vi.mock('electron', () => electron.module);

const updaterLoaded = vi.hoisted(() => ({ count: 0 }));
vi.mock('electron-updater', () => {
  updaterLoaded.count += 1;
  return { autoUpdater: {} };
});

const realPlatform = process.platform;
const realArgv = process.argv;

async function startShell({
  platform = 'linux',
  argv = [],
}: { platform?: NodeJS.Platform; argv?: string[] } = {}) {
  vi.resetModules();
  vi.clearAllMocks();
  electron.FakeWindow.created.length = 0;
  electron.FakeTray.created.length = 0;
  electron.handlers.clear();
  Object.defineProperty(process, 'platform', { value: platform });
  process.argv = [...realArgv.slice(0, 2), ...argv];
  await import('./index');
  // whenReady() resolved: start() ran.
  await vi.waitFor(() => expect(electron.FakeWindow.created).toHaveLength(1), {
    timeout: 10_000,
  });
  const window = electron.FakeWindow.created[0];
  if (!window) throw new Error('no window');
  return { window };
}

function ipc(channel: string, ...args: unknown[]) {
  const handler = electron.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler({ senderFrame: { url: `${ORIGIN}/`, parent: null } }, ...args);
}

afterEach(() => {
  Object.defineProperty(process, 'platform', { value: realPlatform });
  process.argv = realArgv;
});

describe('main process wiring', () => {
  it('a desk seat on Linux: no menu bar, a context menu, tray in the user language', async () => {
    const { window } = await startShell();
    const { Menu, powerSaveBlocker, app } = electron.module;
    expect(Menu.setApplicationMenu).toHaveBeenLastCalledWith(null);
    expect(window.webContents.on).toHaveBeenCalledWith('context-menu', expect.any(Function));
    expect(powerSaveBlocker.start).not.toHaveBeenCalled();
    expect(app.setAppUserModelId).not.toHaveBeenCalled();

    // The system prefers Chinese: the tray starts in Chinese…
    const tray = electron.FakeTray.created[0];
    expect(tray?.setToolTip).toHaveBeenLastCalledWith('Dutydesk — 无未处理告警');
    // …and follows the console's language once it says which.
    await ipc(IpcChannel.setLocale, 'en');
    expect(tray?.setToolTip).toHaveBeenLastCalledWith('Dutydesk — no open alerts');
    await ipc(IpcChannel.setBadgeCount, 2);
    expect(tray?.setToolTip).toHaveBeenLastCalledWith('Dutydesk — 2 open alerts');
    expect(() => ipc(IpcChannel.setLocale, 'fr')).toThrow(/invalid payload/);

    // A right-click in a text field pops the menu up in the console's language.
    await ipc(IpcChannel.setLocale, 'zh-CN');
    window.webContents.fire(
      'context-menu',
      {},
      {
        isEditable: true,
        selectionText: '',
        editFlags: { canCut: false, canCopy: false, canPaste: true, canSelectAll: true },
      },
    );
    const built = Menu.buildFromTemplate.mock.results.at(-1)?.value as {
      template: MenuItemConstructorOptions[];
      popup: ReturnType<typeof vi.fn>;
    };
    expect(built.template.map((item) => item.label).filter(Boolean)).toEqual([
      '剪切',
      '复制',
      '粘贴',
      '全选',
    ]);
    expect(built.popup).toHaveBeenCalledWith({ window });
  });

  it('does not load the updater when not packaged', async () => {
    const before = updaterLoaded.count;
    process.env['DUTYDESK_UPDATE_URL'] = 'https://desk.example.com/updates/';
    try {
      await startShell();
      // Let start()'s promise chain settle before asserting nothing was imported.
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(updaterLoaded.count).toBe(before);
    } finally {
      delete process.env['DUTYDESK_UPDATE_URL'];
    }
  });

  it('the wallboard keeps the display awake while shown, has no tray and no context menu', async () => {
    const { window } = await startShell({ argv: ['--wallboard'] });
    const { powerSaveBlocker } = electron.module;
    expect(electron.FakeTray.created).toHaveLength(0);
    expect(window.webContents.on).not.toHaveBeenCalledWith('context-menu', expect.any(Function));
    window.show();
    expect(powerSaveBlocker.start).toHaveBeenCalledWith('prevent-display-sleep');
    expect(electron.blockers.size).toBe(1);
    window.events.fire('closed');
    expect(electron.blockers.size).toBe(0);
  });

  it('macOS gets an application menu with the edit roles', async () => {
    await startShell({ platform: 'darwin' });
    const { Menu } = electron.module;
    const menu = Menu.setApplicationMenu.mock.calls.at(-1)?.[0] as {
      template: MenuItemConstructorOptions[];
    } | null;
    expect(menu).not.toBeNull();
    const edit = menu?.template.find((item) => item.label === '编辑');
    const roles = (edit?.submenu as MenuItemConstructorOptions[]).map((item) => item.role);
    expect(roles).toEqual(
      expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']),
    );
    // The console switches to English: the menu is built again in English.
    await ipc(IpcChannel.setLocale, 'en');
    const again = Menu.setApplicationMenu.mock.calls.at(-1)?.[0] as {
      template: MenuItemConstructorOptions[];
    };
    expect(again.template.map((item) => item.label)).toContain('Edit');
  });

  it('Windows gets the AppUserModelId before any window', async () => {
    await startShell({ platform: 'win32' });
    expect(electron.module.app.setAppUserModelId).toHaveBeenCalledWith('com.dutydesk.console');
  });
});
