import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import { shellCatalogues, ShellLocale } from './strings';
import type { ShellStrings } from './strings';

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
  /** The words in the user's language at start (default English). */
  strings?: ShellStrings;
}

export interface TrayController {
  setAlertCount(count: number): void;
  /** The user's language changed: words the tooltip and the menu again. */
  setStrings(strings: ShellStrings): void;
  destroy(): void;
}

/** Tooltip and title for a number of open alerts. */
export function describeAlertCount(
  count: number,
  strings: ShellStrings = shellCatalogues[ShellLocale.en],
): string {
  return strings.alertCount(count);
}

/** The tray icon with the open-alert count in its tooltip, title and the app badge. */
export function createTrayController(deps: TrayDeps): TrayController {
  const tray = deps.createTray(deps.createIcon());
  let current = -1;
  let strings = deps.strings ?? shellCatalogues[ShellLocale.en];

  const render = (count: number): void => {
    tray.setToolTip(describeAlertCount(count, strings));
    tray.setTitle(count > 0 ? String(count) : '');
    tray.setContextMenu(
      deps.buildMenu([
        { label: describeAlertCount(count, strings), enabled: false },
        { type: 'separator' },
        { label: strings.openApp, click: () => deps.onOpen() },
        { label: strings.quit, click: () => deps.onQuit() },
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
    setStrings(next) {
      if (next === strings) return;
      strings = next;
      render(current);
    },
    destroy() {
      tray.destroy();
    },
  };
}
