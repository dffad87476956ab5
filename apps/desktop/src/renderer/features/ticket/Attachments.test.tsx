import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UploadOutcome } from '../../app/api';
import { localeStore } from '../../i18n/i18n';
import { createdEvent, makeTicket, session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { nameForPasted } from './Attachments';
import { TicketWorkspace } from './TicketWorkspace';

const SHA = 'd'.repeat(64);

/** A workspace on ticket t1 whose uploads resolve when the test says so. */
function setUp(overrides: Record<string, unknown> = {}) {
  const services = fakeServices();
  services.store.getState().signIn(session);
  const ticket = makeTicket({ id: 't1', number: 'INC-1', status: 'in_progress', ...overrides });
  // The created event carries no attachments: a ticket with some comes whole.
  if (overrides.attachments) services.store.getState().upsertTicket(ticket);
  else services.store.getState().applyEvents([createdEvent(1, ticket)]);
  const finish: Array<(o: UploadOutcome) => void> = [];
  const progress: Array<(loaded: number, total: number) => void> = [];
  const upload = vi.fn(
    (
      _token: string,
      _ticketId: string,
      _file: Blob,
      _name: string,
      onProgress?: (l: number, t: number) => void,
    ) => {
      if (onProgress) progress.push(onProgress);
      return {
        done: new Promise<UploadOutcome>((resolve) => finish.push(resolve)),
        abort: vi.fn(() => finish.at(-1)?.({ ok: false, code: 'aborted', message: 'cancelled' })),
      };
    },
  );
  services.api.uploadAttachment = upload;
  renderWith(<TicketWorkspace ticketId="t1" />, services);
  return { services, upload, finish, progress };
}

function clipboardWith(files: File[]): DataTransfer {
  return {
    files,
    items: files.map((f) => ({ kind: 'file', type: f.type, getAsFile: () => f })),
    types: ['Files'],
    getData: () => '',
  } as unknown as DataTransfer;
}

describe('attachments in the ticket workspace', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it('uploads a pasted screenshot (also from inside a text box) under a timestamped name', async () => {
    const { upload, finish, progress } = setUp();
    const shot = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'image.png', {
      type: 'image/png',
    });
    const box = document.querySelector('textarea');
    fireEvent.paste(box ?? screen.getByTestId('attachment-drop'), {
      clipboardData: clipboardWith([shot]),
    });
    expect(upload).toHaveBeenCalledTimes(1);
    const [token, ticketId, file, name] = upload.mock.calls[0] ?? [];
    expect([token, ticketId, file]).toEqual(['tok-1', 't1', shot]);
    expect(name).toMatch(/^screenshot-\d{8}-\d{6}\.png$/);
    // Progress for a large file, then done: the row leaves, the list comes from the ticket.
    act(() => progress[0]?.(512, 2048));
    expect(screen.getByText(/Uploading screenshot-.*: 25%/)).toBeTruthy();
    expect(screen.getByRole('progressbar', { name }).getAttribute('value')).toBe('512');
    await act(async () => {
      finish[0]?.({
        ok: true,
        attachment: {
          id: 'a1',
          sha256: SHA,
          size: 4,
          name: String(name),
          contentType: 'image/png',
        },
      });
      await Promise.resolve();
    });
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('leaves a plain-text paste alone', () => {
    const { upload } = setUp();
    const box = document.querySelector('textarea') as HTMLTextAreaElement;
    const text = {
      files: [],
      items: [{ kind: 'string', type: 'text/plain' }],
      types: ['text/plain'],
      getData: () => 'hello',
    };
    const event = fireEvent.paste(box, { clipboardData: text });
    expect(event).toBe(true);
    expect(upload).not.toHaveBeenCalled();
  });

  it('uploads dropped files and says where they go while dragging', () => {
    const { upload } = setUp();
    const zone = screen.getByTestId('attachment-drop');
    const log = new File(['02:00 backup failed'], 'backup.log', { type: 'text/plain' });
    const pdf = new File(['%PDF-1.7'], '验收单.pdf', { type: 'application/pdf' });
    const data = clipboardWith([log, pdf]);
    fireEvent.dragEnter(zone, { dataTransfer: data });
    expect(screen.getByText('Drop to attach to INC-1')).toBeTruthy();
    fireEvent.dragOver(zone, { dataTransfer: data });
    fireEvent.drop(zone, { dataTransfer: data });
    expect(upload.mock.calls.map((c) => c[3])).toEqual(['backup.log', '验收单.pdf']);
    expect(screen.queryByText('Drop to attach to INC-1')).toBeNull();
  });

  it('reaches the file picker from the keyboard and shows a refusal with the server’s words', async () => {
    const user = userEvent.setup();
    const { upload, finish } = setUp();
    const button = screen.getByRole('button', { name: 'Attach files…' });
    button.focus();
    const input = screen.getByTestId('attachment-input') as HTMLInputElement;
    const picked = vi.spyOn(input, 'click');
    await user.keyboard('{Enter}');
    expect(picked).toHaveBeenCalled();
    const exe = new File(['MZ'], 'setup.exe', { type: 'application/x-msdownload' });
    await user.upload(input, exe);
    expect(upload).toHaveBeenCalledTimes(1);
    await act(async () => {
      finish[0]?.({
        ok: false,
        code: 'invalid',
        message: 'Refused: files of type application/x-msdownload are not accepted',
      });
      await Promise.resolve();
    });
    expect(screen.getByRole('alert').textContent).toMatch(
      /setup\.exe was not attached: Refused: files of type application\/x-msdownload/,
    );
  });

  it('lists the ticket’s attachments with download, a preview for images, and purged files', async () => {
    const user = userEvent.setup();
    const at = '2026-03-02T09:30:00.000Z';
    const { services } = setUp({
      attachments: [
        {
          id: 'a1',
          name: '截图.png',
          contentType: 'image/png',
          size: 2048,
          sha256: SHA,
          logEntryId: null,
          at,
          actorId: 'u1',
        },
        {
          id: 'a2',
          name: 'backup.log',
          contentType: 'text/plain',
          size: 20,
          sha256: SHA,
          logEntryId: null,
          at,
          actorId: 'u1',
        },
        {
          id: 'a3',
          name: 'old.pdf',
          contentType: 'application/pdf',
          size: 20,
          sha256: SHA,
          logEntryId: null,
          at,
          actorId: null,
          purgedAt: at,
        },
      ],
    });
    const createUrl = vi.fn(() => 'blob:preview-1');
    const revoke = vi.fn();
    Object.assign(URL, { createObjectURL: createUrl, revokeObjectURL: revoke });
    const image = screen.getByRole('listitem', { name: '截图.png' });
    expect(within(image).getByText(/2 KB/)).toBeTruthy();
    const log = screen.getByRole('listitem', { name: 'backup.log' });
    expect(within(log).queryByRole('button', { name: 'Preview' })).toBeNull();
    expect(within(log).getByRole('button', { name: 'Download' })).toBeTruthy();
    const old = screen.getByRole('listitem', { name: 'old.pdf' });
    expect(within(old).getByText(/deleted under the retention policy/)).toBeTruthy();
    await user.click(within(image).getByRole('button', { name: 'Preview' }));
    await waitFor(() => expect(screen.getByRole('img', { name: '截图.png' })).toBeTruthy());
    expect(services.api.fetchAttachment).toHaveBeenCalledWith('tok-1', 'a1');
    expect(screen.getByRole('img', { name: '截图.png' }).getAttribute('src')).toBe(
      'blob:preview-1',
    );
  });

  it('names a pasted image by its type and keeps a real file name', () => {
    const now = new Date(2026, 2, 2, 9, 5, 7);
    expect(nameForPasted(new File([''], 'image.png', { type: 'image/jpeg' }), now)).toBe(
      'screenshot-20260302-090507.jpg',
    );
    expect(nameForPasted(new File([''], '报错.png', { type: 'image/png' }), now)).toBe('报错.png');
  });
});
