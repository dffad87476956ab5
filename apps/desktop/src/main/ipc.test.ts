// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { IpcChannel } from '../shared/bridge';
import { registerIpc } from './ipc';

const ORIGIN = 'http://127.0.0.1:3000';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

function setup() {
  const handlers = new Map<string, Handler>();
  const window = { id: 1 } as unknown as BrowserWindow;
  const shell = {
    notify: vi.fn(),
    setBadgeCount: vi.fn(),
    flashFrame: vi.fn(),
    getInfo: vi.fn(() => ({
      appVersion: '0.1.0',
      platform: 'linux',
      serverUrl: ORIGIN,
      wallboard: false,
    })),
    setLocale: vi.fn(),
  };
  registerIpc({
    ipcMain: { handle: (channel: string, handler: Handler) => handlers.set(channel, handler) },
    appOrigin: ORIGIN,
    windowOf: () => window,
    handlers: shell,
  });
  const call = (channel: string, args: unknown[], frame: unknown = topFrame(`${ORIGIN}/`)) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame: frame } as unknown as IpcMainInvokeEvent, ...args);
  };
  return { handlers, shell, window, call };
}

function topFrame(url: string) {
  return { url, parent: null };
}

describe('registerIpc', () => {
  it('registers exactly one handler per message', () => {
    const { handlers } = setup();
    expect([...handlers.keys()].sort()).toEqual(
      [
        IpcChannel.notify,
        IpcChannel.setBadgeCount,
        IpcChannel.flashFrame,
        IpcChannel.getInfo,
        IpcChannel.setLocale,
      ].sort(),
    );
  });

  it('passes valid payloads through with the sender window', () => {
    const { shell, window, call } = setup();
    call(IpcChannel.notify, [{ title: 'P1 breach soon', body: 'INC-000123', ticketId: 't1' }]);
    expect(shell.notify).toHaveBeenCalledWith(
      { title: 'P1 breach soon', body: 'INC-000123', ticketId: 't1' },
      window,
    );
    call(IpcChannel.setBadgeCount, [3]);
    expect(shell.setBadgeCount).toHaveBeenCalledWith(3);
    call(IpcChannel.flashFrame, []);
    expect(shell.flashFrame).toHaveBeenCalledWith(window);
    expect(call(IpcChannel.getInfo, [])).toMatchObject({ serverUrl: ORIGIN });
    call(IpcChannel.setLocale, ['zh-CN']);
    expect(shell.setLocale).toHaveBeenCalledWith('zh-CN');
  });

  it.each([
    [IpcChannel.notify, [{ title: '', body: 'x' }]],
    [IpcChannel.notify, [{ title: 'x', body: 'y', extra: true }]],
    [IpcChannel.notify, ['just a string']],
    [IpcChannel.notify, [{ title: 'x'.repeat(201), body: '' }]],
    [IpcChannel.setBadgeCount, [-1]],
    [IpcChannel.setBadgeCount, [1.5]],
    [IpcChannel.setBadgeCount, ['3']],
    [IpcChannel.setBadgeCount, [1, 2]],
    [IpcChannel.flashFrame, [{ evil: true }]],
    [IpcChannel.getInfo, ['x']],
    [IpcChannel.setLocale, ['fr']],
    [IpcChannel.setLocale, ['zh']],
    [IpcChannel.setLocale, [undefined]],
    [IpcChannel.setLocale, ['en', 'zh-CN']],
  ])('rejects a bad payload on %s: %j', (channel, args) => {
    const { shell, call } = setup();
    expect(() => call(channel, args)).toThrow(/invalid payload/);
    for (const fn of Object.values(shell)) expect(fn).not.toHaveBeenCalled();
  });

  it.each([
    ['another origin', topFrame('https://evil.example.com/')],
    ['another port', topFrame('http://127.0.0.1:4000/')],
    ['a subframe of the app', { url: `${ORIGIN}/`, parent: topFrame(`${ORIGIN}/`) }],
    ['a destroyed frame', null],
    ['a file page', topFrame('file:///tmp/x.html')],
  ])('rejects messages from %s', (_label, frame) => {
    const { shell, call } = setup();
    expect(() => call(IpcChannel.setBadgeCount, [2], frame)).toThrow(/sender not allowed/);
    expect(shell.setBadgeCount).not.toHaveBeenCalled();
  });
});
