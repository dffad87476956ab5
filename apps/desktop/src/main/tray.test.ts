// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
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
