// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import type { ContextMenuParams, MenuItemConstructorOptions } from 'electron';
import { buildApplicationMenuTemplate, buildContextMenuTemplate, installContextMenu } from './menu';
import { shellCatalogues } from './strings';

const en = shellCatalogues.en;
const zh = shellCatalogues['zh-CN'];

function submenuOf(
  template: MenuItemConstructorOptions[],
  label: string,
): MenuItemConstructorOptions[] {
  const menu = template.find((item) => item.label === label);
  if (!menu || !Array.isArray(menu.submenu)) throw new Error(`no submenu ${label}`);
  return menu.submenu;
}

const roles = (items: MenuItemConstructorOptions[]) =>
  items.filter((item) => item.type !== 'separator').map((item) => item.role);

function params(
  over: Partial<ContextMenuParams> & { flags?: Partial<ContextMenuParams['editFlags']> },
) {
  const { flags, ...rest } = over;
  return {
    isEditable: false,
    selectionText: '',
    editFlags: {
      canUndo: false,
      canRedo: false,
      canCut: false,
      canCopy: false,
      canPaste: false,
      canDelete: false,
      canSelectAll: true,
      canEditRichly: false,
      ...flags,
    },
    ...rest,
  };
}

describe('application menu', () => {
  it('on macOS keeps the app menu and an Edit menu with every standard edit role', () => {
    const template = buildApplicationMenuTemplate('darwin', en);
    expect(template).not.toBeNull();
    const menu = template ?? [];
    expect(menu[0]).toEqual({ role: 'appMenu' });
    expect(roles(submenuOf(menu, 'Edit'))).toEqual([
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
    ]);
    expect(roles(submenuOf(menu, 'View'))).toContain('togglefullscreen');
    expect(menu.find((item) => item.role === 'windowMenu')?.label).toBe('Window');
  });

  it('on macOS words its menus in the user language', () => {
    const menu = buildApplicationMenuTemplate('darwin', zh) ?? [];
    const edit = submenuOf(menu, '编辑');
    expect(edit.find((item) => item.role === 'paste')?.label).toBe('粘贴');
    expect(menu.map((item) => item.label)).toEqual([undefined, '编辑', '视图', '窗口']);
  });

  it.each(['win32', 'linux'] as const)('has no menu bar on %s', (platform) => {
    expect(buildApplicationMenuTemplate(platform, en)).toBeNull();
  });
});

describe('context menu', () => {
  it('in a text field offers cut, copy, paste and select all, enabled as Chromium says', () => {
    const items = buildContextMenuTemplate(
      params({ isEditable: true, selectionText: 'INC-1', flags: { canCopy: true, canCut: true } }),
      en,
    );
    expect(items.map((item) => [item.role ?? item.type, item.label, item.enabled])).toEqual([
      ['cut', 'Cut', true],
      ['copy', 'Copy', true],
      ['paste', 'Paste', false],
      ['separator', undefined, undefined],
      ['selectAll', 'Select All', true],
    ]);
  });

  it('with an empty clipboard and no selection, cut and copy are off and paste follows the flag', () => {
    const items = buildContextMenuTemplate(
      params({ isEditable: true, flags: { canPaste: true } }),
      en,
    );
    const enabled = Object.fromEntries(items.map((item) => [item.role ?? 'sep', item.enabled]));
    expect(enabled).toMatchObject({ cut: false, copy: false, paste: true, selectAll: true });
  });

  it('on page text offers copy for a selection and select all, never cut or paste', () => {
    const selected = buildContextMenuTemplate(
      params({ selectionText: 'P1 breach', flags: { canCopy: true } }),
      en,
    );
    expect(roles(selected)).toEqual(['copy', 'selectAll']);
    const nothing = buildContextMenuTemplate(params({ selectionText: '  ' }), en);
    expect(roles(nothing)).toEqual(['selectAll']);
  });

  it('speaks the user language', () => {
    const items = buildContextMenuTemplate(params({ isEditable: true }), zh);
    expect(items.map((item) => item.label).filter(Boolean)).toEqual([
      '剪切',
      '复制',
      '粘贴',
      '全选',
    ]);
  });

  it('pops up on every right-click with the language of that moment', () => {
    let listener: ((event: unknown, p: ContextMenuParams) => void) | undefined;
    const contents = {
      on: vi.fn((_name: 'context-menu', l: typeof listener) => {
        listener = l;
      }),
    };
    const popup = vi.fn();
    let strings = en;
    installContextMenu(contents, { popup, strings: () => strings });
    expect(contents.on).toHaveBeenCalledWith('context-menu', expect.any(Function));
    listener?.({}, params({ isEditable: true }) as ContextMenuParams);
    strings = zh;
    listener?.({}, params({ isEditable: true }) as ContextMenuParams);
    expect(popup).toHaveBeenCalledTimes(2);
    const labels = popup.mock.calls.map(([t]) => (t as MenuItemConstructorOptions[])[2]?.label);
    expect(labels).toEqual(['Paste', '粘贴']);
  });
});
