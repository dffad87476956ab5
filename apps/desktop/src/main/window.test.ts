// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  class FakeWindow {
    static created: FakeWindow[] = [];
    readonly options: unknown;
    loadURL = vi.fn(() => Promise.resolve());
    once = vi.fn();
    show = vi.fn();
    constructor(options: unknown) {
      this.options = options;
      FakeWindow.created.push(this);
    }
  }
  return { BrowserWindow: FakeWindow };
});
vi.mock('electron', () => electron);

const { buildWebPreferences, buildWindowOptions, createAppWindow } = await import('./window');

describe('window options', () => {
  it('are secure', () => {
    expect(buildWebPreferences('/app/preload.cjs')).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('open the wallboard as a kiosk with the same preferences', () => {
    const kiosk = buildWindowOptions({ url: 'x', preloadPath: '/p.cjs', kiosk: true });
    const desk = buildWindowOptions({ url: 'x', preloadPath: '/p.cjs' });
    expect(kiosk.kiosk).toBe(true);
    expect(desk.kiosk).toBeUndefined();
    expect(kiosk.webPreferences).toEqual(desk.webPreferences);
  });

  it('creates the window hidden and loads the app URL', () => {
    createAppWindow({ url: 'http://127.0.0.1:3000/wallboard', preloadPath: '/p.cjs' });
    const window = electron.BrowserWindow.created.at(-1);
    expect(window?.options).toMatchObject({ show: false });
    expect(window?.loadURL).toHaveBeenCalledWith('http://127.0.0.1:3000/wallboard');
    expect(window?.once).toHaveBeenCalledWith('ready-to-show', expect.any(Function));
  });
});
