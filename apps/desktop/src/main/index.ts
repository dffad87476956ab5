// security.ts first: the sandbox and the web-contents lockdown must be in place
// before anything can create a window.
import { appOrigin, installSessionSecurity } from './security';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  Notification,
  Tray,
  nativeImage,
  powerSaveBlocker,
  session,
} from 'electron';
import { IpcChannel } from '../shared/bridge';
import { wantsWallboard } from './config';
import { claimSingleInstance } from './instance';
import { registerIpc } from './ipc';
import { buildApplicationMenuTemplate, installContextMenu } from './menu';
import { flashUntilFocused, showAlertNotification } from './notifications';
import { applyAppUserModelId } from './platform';
import { createShellLanguage, pickShellLocale } from './strings';
import type { ShellStrings } from './strings';
import { createTrayController, TRAY_ICON_DATA_URL } from './tray';
import type { TrayController } from './tray';
import { resolveUpdateFeed, startUpdateChecks } from './updates';
import { keepDisplayAwakeWhileShown } from './wakeLock';
import { createAppWindow, revealWindow } from './window';

const wallboard = wantsWallboard(process.argv);
let mainWindow: BrowserWindow | null = null;
let tray: TrayController | null = null;
/** System languages until the console says which one it shows (`desktop:set-locale`). */
let language = createShellLanguage(pickShellLocale([]));

/** macOS keeps the Edit roles in a menu bar; elsewhere there is none. */
function applyApplicationMenu(strings: ShellStrings): void {
  const template = buildApplicationMenuTemplate(process.platform, strings);
  Menu.setApplicationMenu(template ? Menu.buildFromTemplate(template) : null);
}

function preloadPath(): string {
  return path.join(app.getAppPath(), 'dist-electron', 'preload.cjs');
}

function openMainWindow(): BrowserWindow {
  const window = createAppWindow({
    url: wallboard ? `${appOrigin}/wallboard` : `${appOrigin}/`,
    preloadPath: preloadPath(),
    kiosk: wallboard,
  });
  if (wallboard) keepDisplayAwakeWhileShown(window, powerSaveBlocker);
  else {
    installContextMenu(window.webContents, {
      popup: (template) => Menu.buildFromTemplate(template).popup({ window }),
      strings: () => language.strings,
    });
  }
  window.on('closed', () => {
    mainWindow = null;
  });
  return window;
}

function showMainWindow(): void {
  if (mainWindow && !mainWindow.isDestroyed()) revealWindow(mainWindow);
  else mainWindow = openMainWindow();
}

function start(): void {
  installSessionSecurity(session.defaultSession, appOrigin);
  language = createShellLanguage(pickShellLocale(app.getPreferredSystemLanguages()));
  language.onChange((strings) => {
    applyApplicationMenu(strings);
    tray?.setStrings(strings);
  });
  applyApplicationMenu(language.strings);
  registerIpc({
    ipcMain,
    appOrigin,
    windowOf: (event) => BrowserWindow.fromWebContents(event.sender),
    handlers: {
      notify: (payload, window) =>
        showAlertNotification(
          {
            isSupported: () => Notification.isSupported(),
            create: (options) => new Notification(options),
            onClick: (target, ticketId) => {
              if (!target || target.isDestroyed()) return;
              revealWindow(target);
              if (ticketId) target.webContents.send(IpcChannel.openTicket, ticketId);
            },
          },
          payload,
          window,
        ),
      setBadgeCount: (count) => tray?.setAlertCount(count),
      flashFrame: (window) => flashUntilFocused(window),
      getInfo: () => ({
        appVersion: app.getVersion(),
        platform: process.platform,
        serverUrl: appOrigin,
        wallboard,
      }),
      setLocale: (locale) => language.set(locale),
    },
  });
  mainWindow = openMainWindow();
  if (!wallboard) {
    tray = createTrayController({
      createTray: (icon) => new Tray(icon),
      createIcon: () => nativeImage.createFromDataURL(TRAY_ICON_DATA_URL),
      buildMenu: (template) => Menu.buildFromTemplate(template),
      setAppBadge: (count) => app.setBadgeCount(count),
      onOpen: showMainWindow,
      onQuit: () => app.quit(),
      strings: language.strings,
    });
  }
  void startUpdateChecks({
    isPackaged: app.isPackaged,
    feedUrl: resolveUpdateFeed(process.env),
    loadUpdater: async () => (await import('electron-updater')).autoUpdater,
    log: (message, error) => console.warn(`dutydesk: ${message}`, error ?? ''),
    notifyReady: (version) => {
      if (!Notification.isSupported()) return;
      new Notification({
        title: language.strings.updateReadyTitle,
        body: language.strings.updateReadyBody(version),
      }).show();
    },
  });
}

if (claimSingleInstance(app, showMainWindow)) {
  // Before any window: Windows attributes toasts to this ID (the installer's shortcut has it).
  applyAppUserModelId(app, process.platform);
  void app.whenReady().then(start);
  app.on('window-all-closed', () => {
    // A desk seat stays reachable from the tray (alerts keep arriving); the
    // wallboard has no tray and quits.
    if (wallboard) app.quit();
  });
  app.on('activate', showMainWindow);
}
