import { BrowserWindow } from 'electron';
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** The only web preferences any Dutydesk window gets. */
export function buildWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    spellcheck: false,
  };
}

export interface WindowRequest {
  /** Absolute URL on the app origin. */
  url: string;
  preloadPath: string;
  /** Full-screen kiosk for the service-hall wallboard. */
  kiosk?: boolean;
}

/** Window options for the console or the wallboard. */
export function buildWindowOptions(request: WindowRequest): BrowserWindowConstructorOptions {
  const base: BrowserWindowConstructorOptions = {
    show: false,
    title: 'Dutydesk',
    backgroundColor: request.kiosk ? '#0b1220' : '#f4f5f7',
    autoHideMenuBar: true,
    webPreferences: buildWebPreferences(request.preloadPath),
  };
  return request.kiosk
    ? { ...base, kiosk: true, fullscreen: true }
    : { ...base, width: 1440, height: 900, minWidth: 960, minHeight: 600 };
}

/** Opens a window on the app origin; it shows itself once painted. */
export function createAppWindow(request: WindowRequest): BrowserWindow {
  const window = new BrowserWindow(buildWindowOptions(request));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(request.url);
  return window;
}

/** Brings an existing window to the front (second instance, notification click). */
export function revealWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
