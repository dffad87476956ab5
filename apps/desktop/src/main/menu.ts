import type { ContextMenuParams, MenuItemConstructorOptions } from 'electron';
import type { ShellStrings } from './strings';

/**
 * The application menu. On macOS the menu bar is where Cmd+C/V/X/A, undo and redo live: with
 * no menu those shortcuts do nothing in any text field, so the app keeps an app menu and an
 * Edit menu with the standard roles (macOS performs them on the focused field and words the
 * role items itself), plus minimal View and Window menus. Windows and Linux have no menu bar
 * (`null`): Chromium handles the edit shortcuts there without one.
 */
export function buildApplicationMenuTemplate(
  platform: NodeJS.Platform,
  strings: ShellStrings,
): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null;
  return [
    { role: 'appMenu' },
    {
      label: strings.editMenu,
      submenu: [
        { role: 'undo', label: strings.undo },
        { role: 'redo', label: strings.redo },
        { type: 'separator' },
        { role: 'cut', label: strings.cut },
        { role: 'copy', label: strings.copy },
        { role: 'paste', label: strings.paste },
        { role: 'selectAll', label: strings.selectAll },
      ],
    },
    {
      label: strings.viewMenu,
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: strings.windowMenu, role: 'windowMenu' },
  ];
}

type EditParams = Pick<ContextMenuParams, 'isEditable' | 'selectionText' | 'editFlags'>;

/**
 * The right-click menu of a page: in a text field cut, copy, paste and select all, each
 * enabled as Chromium's `editFlags` say; elsewhere copy (when text is selected) and select
 * all. The roles act on the focused web contents, so nothing here touches the clipboard.
 */
export function buildContextMenuTemplate(
  params: EditParams,
  strings: ShellStrings,
): MenuItemConstructorOptions[] {
  const flags = params.editFlags;
  if (params.isEditable) {
    return [
      { role: 'cut', label: strings.cut, enabled: flags.canCut },
      { role: 'copy', label: strings.copy, enabled: flags.canCopy },
      { role: 'paste', label: strings.paste, enabled: flags.canPaste },
      { type: 'separator' },
      { role: 'selectAll', label: strings.selectAll, enabled: flags.canSelectAll },
    ];
  }
  const items: MenuItemConstructorOptions[] = [];
  if (params.selectionText.trim() !== '') {
    items.push(
      { role: 'copy', label: strings.copy, enabled: flags.canCopy },
      { type: 'separator' },
    );
  }
  items.push({ role: 'selectAll', label: strings.selectAll, enabled: flags.canSelectAll });
  return items;
}

interface ContextMenuTarget {
  on(event: 'context-menu', listener: (event: unknown, params: ContextMenuParams) => void): unknown;
}

export interface ContextMenuDeps {
  /** `Menu.buildFromTemplate(template).popup()` in the app; a spy in tests. */
  popup(template: MenuItemConstructorOptions[]): void;
  strings(): ShellStrings;
}

/** Shows the context menu on every right-click in one web contents, in the shell's language. */
export function installContextMenu(contents: ContextMenuTarget, deps: ContextMenuDeps): void {
  contents.on('context-menu', (_event, params) => {
    const template = buildContextMenuTemplate(params, deps.strings());
    if (template.length > 0) deps.popup(template);
  });
}
