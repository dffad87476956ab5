import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';

/** 16×16 PNG: a rounded desk-blue square, so the tray works without asset files. */
export const TRAY_ICON_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAM0lEQVR4nGOQj1/AAMX/ScRgfQzUMIBUjSh4EBpACNDPAGLFaWfAwIXBwKcDcgwY2NwIALubWAf2MqcMAAAAAElFTkSuQmCC';

export interface TrayDeps {
  createTray(icon: NativeImage): Tray;
  createIcon(): NativeImage;
  buildMenu(template: MenuItemConstructorOptions[]): Menu;
  /** Dock / launcher badge where the platform has one. */
  setAppBadge(count: number): void;
  onOpen(): void;
  onQuit(): void;
}

export interface TrayController {
  setAlertCount(count: number): void;
  destroy(): void;
}

/** Tooltip and title for a number of open alerts. */
export function describeAlertCount(count: number): string {
  if (count === 0) return 'Dutydesk — no open alerts';
  return count === 1 ? 'Dutydesk — 1 open alert' : `Dutydesk — ${count} open alerts`;
}

/** The tray icon with the open-alert count in its tooltip, title and the app badge. */
export function createTrayController(deps: TrayDeps): TrayController {
  const tray = deps.createTray(deps.createIcon());
  let current = -1;

  const render = (count: number): void => {
    tray.setToolTip(describeAlertCount(count));
    tray.setTitle(count > 0 ? String(count) : '');
    tray.setContextMenu(
      deps.buildMenu([
        { label: describeAlertCount(count), enabled: false },
        { type: 'separator' },
        { label: 'Open Dutydesk', click: () => deps.onOpen() },
        { label: 'Quit', click: () => deps.onQuit() },
      ]),
    );
    deps.setAppBadge(count);
  };

  tray.on('click', () => deps.onOpen());
  render(0);
  current = 0;

  return {
    setAlertCount(count) {
      if (count === current) return;
      current = count;
      render(count);
    },
    destroy() {
      tray.destroy();
    },
  };
}
