// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { createShellLanguage, pickShellLocale, shellCatalogues } from './strings';
import { createTrayController, describeAlertCount } from './tray';

function setup() {
  const tray = {
    setToolTip: vi.fn(),
    setTitle: vi.fn(),
    setContextMenu: vi.fn(),
    on: vi.fn(),
    destroy: vi.fn(),
  };
  const menus: MenuItemConstructorOptions[][] = [];
  const deps = {
    createTray: vi.fn(() => tray as never),
    createIcon: vi.fn(() => ({}) as never),
    buildMenu: vi.fn((template: MenuItemConstructorOptions[]) => {
      menus.push(template);
      return template as never;
    }),
    setAppBadge: vi.fn(),
    onOpen: vi.fn(),
    onQuit: vi.fn(),
  };
  const controller = createTrayController(deps);
  return { tray, deps, menus, controller };
}

describe('tray', () => {
  it('starts with no alerts', () => {
    const { tray, deps } = setup();
    expect(tray.setToolTip).toHaveBeenLastCalledWith('Dutydesk — no open alerts');
    expect(tray.setTitle).toHaveBeenLastCalledWith('');
    expect(deps.setAppBadge).toHaveBeenLastCalledWith(0);
  });

  it('shows the open-alert count and updates only on change', () => {
    const { tray, deps, menus, controller } = setup();
    controller.setAlertCount(3);
    expect(tray.setToolTip).toHaveBeenLastCalledWith('Dutydesk — 3 open alerts');
    expect(tray.setTitle).toHaveBeenLastCalledWith('3');
    expect(deps.setAppBadge).toHaveBeenLastCalledWith(3);
    expect(menus.at(-1)?.[0]?.label).toBe('Dutydesk — 3 open alerts');
    const calls = tray.setToolTip.mock.calls.length;
    controller.setAlertCount(3);
    expect(tray.setToolTip.mock.calls.length).toBe(calls);
    controller.setAlertCount(1);
    expect(tray.setToolTip).toHaveBeenLastCalledWith('Dutydesk — 1 open alert');
  });

  it('opens the console on click and from the menu, quits from the menu', () => {
    const { tray, deps, menus } = setup();
    const click = tray.on.mock.calls.find(([name]) => name === 'click')?.[1] as () => void;
    click();
    expect(deps.onOpen).toHaveBeenCalledOnce();
    const menu = menus.at(-1) ?? [];
    menu.find((item) => item.label === 'Quit')?.click?.({} as never, undefined, {} as never);
    expect(deps.onQuit).toHaveBeenCalledOnce();
  });

  it('words the count', () => {
    expect(describeAlertCount(0)).toMatch(/no open alerts/);
    expect(describeAlertCount(2)).toMatch(/2 open alerts/);
  });
});

describe('tray language', () => {
  it('starts in the language given and follows a change', () => {
    const tray = {
      setToolTip: vi.fn(),
      setTitle: vi.fn(),
      setContextMenu: vi.fn(),
      on: vi.fn(),
      destroy: vi.fn(),
    };
    const menus: MenuItemConstructorOptions[][] = [];
    const controller = createTrayController({
      createTray: () => tray as never,
      createIcon: () => ({}) as never,
      buildMenu: (template) => {
        menus.push(template);
        return template as never;
      },
      setAppBadge: vi.fn(),
      onOpen: vi.fn(),
      onQuit: vi.fn(),
      strings: shellCatalogues['zh-CN'],
    });
    expect(tray.setToolTip).toHaveBeenLastCalledWith('Dutydesk — 无未处理告警');
    expect(menus.at(-1)?.map((item) => item.label)).toEqual([
      'Dutydesk — 无未处理告警',
      undefined,
      '打开 Dutydesk',
      '退出',
    ]);
    controller.setAlertCount(4);
    expect(tray.setToolTip).toHaveBeenLastCalledWith('Dutydesk — 4 条未处理告警');
    controller.setStrings(shellCatalogues.en);
    // The count is kept; only the words change.
    expect(tray.setToolTip).toHaveBeenLastCalledWith('Dutydesk — 4 open alerts');
    expect(
      menus
        .at(-1)
        ?.slice(2)
        .map((item) => item.label),
    ).toEqual(['Open Dutydesk', 'Quit']);
  });
});

describe('shell language', () => {
  it('picks zh-CN for any Chinese system language, else English', () => {
    expect(pickShellLocale(['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickShellLocale(['de-DE', 'en-GB'])).toBe('en');
    expect(pickShellLocale(['fr'])).toBe('en');
    expect(pickShellLocale([])).toBe('en');
  });

  it('has every word in both languages, and the update notice in each', () => {
    const en = shellCatalogues.en;
    const zh = shellCatalogues['zh-CN'];
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    expect(zh.updateReadyTitle).toBe('Dutydesk 更新已就绪');
    expect(zh.updateReadyBody('0.2.0')).toContain('0.2.0');
    expect(en.updateReadyBody('0.2.0')).toBe(
      'Version 0.2.0 will be installed when Dutydesk restarts.',
    );
  });

  it('tells its listeners only about a real change', () => {
    const language = createShellLanguage('en');
    const listener = vi.fn();
    language.onChange(listener);
    language.set('en');
    expect(listener).not.toHaveBeenCalled();
    language.set('zh-CN');
    expect(listener).toHaveBeenCalledWith(shellCatalogues['zh-CN'], 'zh-CN');
    expect(language.strings.quit).toBe('退出');
  });
});
