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
  session,
} from 'electron';
import { IpcChannel } from '../shared/bridge';
import { wantsWallboard } from './config';
import { claimSingleInstance } from './instance';
import { registerIpc } from './ipc';
import { flashUntilFocused, showAlertNotification } from './notifications';
import { createTrayController, TRAY_ICON_DATA_URL } from './tray';
import type { TrayController } from './tray';
import { createAppWindow, revealWindow } from './window';

const wallboard = wantsWallboard(process.argv);
let mainWindow: BrowserWindow | null = null;
let tray: TrayController | null = null;

function preloadPath(): string {
  return path.join(app.getAppPath(), 'dist-electron', 'preload.cjs');
}

function openMainWindow(): BrowserWindow {
  const window = createAppWindow({
    url: wallboard ? `${appOrigin}/wallboard` : `${appOrigin}/`,
    preloadPath: preloadPath(),
    kiosk: wallboard,
  });
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
    });
  }
}

if (claimSingleInstance(app, showMainWindow)) {
  Menu.setApplicationMenu(null);
  void app.whenReady().then(start);
  app.on('window-all-closed', () => {
    // A desk seat stays reachable from the tray (alerts keep arriving); the
    // wallboard has no tray and quits.
    if (wallboard) app.quit();
  });
  app.on('activate', showMainWindow);
}
