/**
 * One `ipcMain.handle` per message. Every handler first checks that the
 * message comes from the top frame of a page on the app origin, then parses
 * its payload with zod; anything else is rejected (the renderer's promise
 * rejects) and never reaches the handler.
 */
import { z } from 'zod';
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { IpcChannel } from '../shared/bridge';
import type { DesktopInfo, NotifyPayload } from '../shared/bridge';
import { SHELL_LOCALES } from './strings';
import type { ShellLocale } from './strings';

export const notifyPayloadSchema = z
  .object({
    title: z.string().min(1).max(200),
    body: z.string().max(1000),
    ticketId: z.string().min(1).max(100).optional(),
  })
  .strict();

export const badgeCountSchema = z.number().int().min(0).max(99_999);

/** Only the languages the shell has words for. */
export const localeSchema = z.enum(SHELL_LOCALES as [ShellLocale, ...ShellLocale[]]);

/** Payload-less messages must arrive without one. */
export const emptyPayloadSchema = z.undefined();

/** What the shell does for each message; the window is the sender's. */
export interface IpcHandlers {
  notify(payload: NotifyPayload, window: BrowserWindow | null): void;
  setBadgeCount(count: number): void;
  flashFrame(window: BrowserWindow | null): void;
  getInfo(): DesktopInfo;
  setLocale(locale: ShellLocale): void;
}

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle'>;
  appOrigin: string;
  windowOf(event: IpcMainInvokeEvent): BrowserWindow | null;
  handlers: IpcHandlers;
}

/** Whether an IPC message comes from the top frame of a page on the app origin. */
export function isTrustedSender(event: IpcMainInvokeEvent, appOrigin: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  try {
    return new URL(frame.url).origin === appOrigin;
  } catch {
    return false;
  }
}

export function registerIpc({ ipcMain, appOrigin, windowOf, handlers }: IpcDeps): void {
  function handle<S extends z.ZodType, R>(
    channel: string,
    schema: S,
    run: (payload: z.infer<S>, event: IpcMainInvokeEvent) => R,
  ): void {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (!isTrustedSender(event, appOrigin)) {
        throw new Error(`${channel}: sender not allowed`);
      }
      if (args.length > 1) throw new Error(`${channel}: invalid payload`);
      const parsed = schema.safeParse(args[0]);
      if (!parsed.success) throw new Error(`${channel}: invalid payload`);
      return run(parsed.data, event);
    });
  }

  handle(IpcChannel.notify, notifyPayloadSchema, (payload, event) =>
    handlers.notify(payload, windowOf(event)),
  );
  handle(IpcChannel.setBadgeCount, badgeCountSchema, (count) => handlers.setBadgeCount(count));
  handle(IpcChannel.flashFrame, emptyPayloadSchema, (_payload, event) =>
    handlers.flashFrame(windowOf(event)),
  );
  handle(IpcChannel.getInfo, emptyPayloadSchema, () => handlers.getInfo());
  handle(IpcChannel.setLocale, localeSchema, (locale) => handlers.setLocale(locale));
}
