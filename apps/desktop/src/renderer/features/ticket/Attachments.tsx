import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClipboardEvent, DragEvent, ReactNode } from 'react';
import { useServices } from '../../app/services';
import type { UploadHandle } from '../../app/api';
import { useLocale, useT } from '../../i18n/i18n';
import { isInlineContentType } from '../../realtime/contract';
import type { Attachment, Ticket } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { selectUserName } from '../directory/directory.slice';
import { formatInstant } from './labels';
import { mayPerform } from './permissions';

/** One upload on its way, or refused (its message shown until dismissed). */
export interface UploadState {
  key: string;
  name: string;
  loaded: number;
  total: number;
  error: string | null;
  handle: UploadHandle | null;
}

/** "1.2 MB", "300 KB", "12 B". */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/**
 * A name for a pasted screenshot (the clipboard calls every one `image.png`): the local time,
 * so several pasted in a row are told apart.
 */
export function nameForPasted(file: File, now: Date): string {
  if (file.name && file.name !== 'image.png') return file.name;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const ext = file.type === 'image/jpeg' ? 'jpg' : (file.type.split('/')[1] ?? 'png');
  return `screenshot-${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}.${ext}`;
}

/** The files a paste or a drop carries (none for plain text). */
export function filesOf(data: DataTransfer | null): File[] {
  if (!data) return [];
  const files = Array.from(data.files ?? []);
  if (files.length > 0) return files;
  return Array.from(data.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFile())
    .filter((f): f is File => f !== null);
}

/**
 * Uploads for one ticket: started from the button, a drop or a paste; progress, cancel and
 * errors per file. The list itself comes from the ticket (its `ticket.attachmentAdded`
 * events), so every seat shows a new attachment the same way.
 */
export function useAttachmentUploads(ticketId: string) {
  const { api } = useServices();
  const token = useAppStore((state) => state.session?.token ?? null);
  const [uploads, setUploads] = useState<UploadState[]>([]);
  const counter = useRef(0);
  const handles = useRef(new Set<UploadHandle>());
  useEffect(() => {
    const live = handles.current;
    return () => {
      for (const h of live) h.abort();
    };
  }, []);

  const update = useCallback((key: string, patch: Partial<UploadState> | null) => {
    setUploads((list) =>
      patch === null
        ? list.filter((u) => u.key !== key)
        : list.map((u) => (u.key === key ? { ...u, ...patch } : u)),
    );
  }, []);

  const start = useCallback(
    (files: readonly File[], names?: readonly string[]) => {
      if (!token) return;
      files.forEach((file, i) => {
        counter.current += 1;
        const key = `u${counter.current}`;
        const name = names?.[i] ?? file.name;
        const handle = api.uploadAttachment(token, ticketId, file, name, (loaded, total) =>
          update(key, { loaded, total }),
        );
        handles.current.add(handle);
        setUploads((list) => [
          ...list,
          { key, name, loaded: 0, total: file.size, error: null, handle },
        ]);
        void handle.done.then((outcome) => {
          handles.current.delete(handle);
          if (outcome.ok || outcome.code === 'aborted') update(key, null);
          else update(key, { error: outcome.message, handle: null });
        });
      });
    },
    [api, ticketId, token, update],
  );

  const cancel = useCallback((key: string) => {
    setUploads((list) => {
      list.find((u) => u.key === key)?.handle?.abort();
      return list;
    });
  }, []);
  const dismiss = useCallback((key: string) => update(key, null), [update]);
  return { uploads, start, cancel, dismiss };
}

/**
 * Drop and paste targets around the workspace: dropped files and pasted images (a screenshot
 * with Ctrl+V, also inside a text box; pasted text stays text) are uploaded to the ticket.
 */
export function AttachmentDropZone({
  enabled,
  number,
  onFiles,
  children,
  className,
}: {
  enabled: boolean;
  number: string;
  onFiles: (files: File[], names: string[]) => void;
  children: ReactNode;
  className?: string;
}) {
  const t = useT();
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const hasFiles = (e: DragEvent): boolean =>
    Array.from(e.dataTransfer?.types ?? []).includes('Files');
  return (
    <div
      className={`${className ?? ''}${over ? ' attachment-drop--over' : ''}`}
      data-testid="attachment-drop"
      onPaste={(e: ClipboardEvent) => {
        if (!enabled) return;
        const files = filesOf(e.clipboardData);
        if (files.length === 0) return;
        e.preventDefault();
        const now = new Date();
        onFiles(
          files,
          files.map((f) => nameForPasted(f, now)),
        );
      }}
      onDragEnter={(e) => {
        if (!enabled || !hasFiles(e)) return;
        depth.current += 1;
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!enabled || !hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        depth.current = 0;
        setOver(false);
        if (!enabled) return;
        const files = filesOf(e.dataTransfer);
        if (files.length === 0) return;
        e.preventDefault();
        onFiles(
          files,
          files.map((f) => f.name),
        );
      }}
    >
      {over && (
        <div className="attachment-drop__overlay" aria-hidden="true">
          {t('attachments.dropHere', { number })}
        </div>
      )}
      {children}
    </div>
  );
}

/** The ticket's attachments: attach (button, keyboard reachable), progress, list, preview, download. */
export function Attachments({
  ticket,
  uploads,
}: {
  ticket: Ticket;
  uploads: ReturnType<typeof useAttachmentUploads>;
}) {
  const t = useT();
  const [locale] = useLocale();
  const { api } = useServices();
  const token = useAppStore((state) => state.session?.token ?? null);
  const user = useAppStore((state) => state.session?.user ?? null);
  const input = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<{
    id: string;
    url: string;
    type: string;
    name: string;
  } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const mayAttach = mayPerform(user, ticket, 'ticket.attachment.add');
  const list = ticket.attachments ?? [];

  useEffect(
    () => () => {
      if (preview) URL.revokeObjectURL(preview.url);
    },
    [preview],
  );

  const load = async (a: Attachment): Promise<string | null> => {
    if (!token) return null;
    try {
      return URL.createObjectURL(await api.fetchAttachment(token, a.id));
    } catch (err) {
      setFailure(t('attachments.loadFailed', { name: a.name, message: (err as Error).message }));
      return null;
    }
  };
  const download = async (a: Attachment): Promise<void> => {
    const url = await load(a);
    if (!url) return;
    const link = document.createElement('a');
    link.href = url;
    link.download = a.name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  const show = async (a: Attachment): Promise<void> => {
    if (preview?.id === a.id) {
      setPreview(null);
      return;
    }
    const url = await load(a);
    if (url) setPreview({ id: a.id, url, type: a.contentType, name: a.name });
  };

  return (
    <section className="attachments" aria-labelledby={`att-${ticket.id}`}>
      <div className="attachments__head">
        <h3 id={`att-${ticket.id}`}>
          {t('attachments.title')} <span className="attachments__count">{list.length}</span>
        </h3>
        {mayAttach && (
          <>
            <button
              type="button"
              className="button"
              onClick={() => input.current?.click()}
              aria-describedby={`att-hint-${ticket.id}`}
            >
              {t('attachments.attach')}
            </button>
            <input
              ref={input}
              type="file"
              multiple
              hidden
              data-testid="attachment-input"
              onChange={(e) => {
                const files = Array.from(e.currentTarget.files ?? []);
                if (files.length > 0) uploads.start(files);
                e.currentTarget.value = '';
              }}
            />
          </>
        )}
      </div>
      {mayAttach && (
        <p className="attachments__hint" id={`att-hint-${ticket.id}`}>
          {t('attachments.hint')}
        </p>
      )}
      {uploads.uploads.length > 0 && (
        <ul className="attachments__uploads" aria-live="polite">
          {uploads.uploads.map((u) => (
            <li key={u.key} className={u.error ? 'upload upload--failed' : 'upload'}>
              {u.error ? (
                <>
                  <span role="alert">
                    {t('attachments.failed', { name: u.name, message: u.error })}
                  </span>
                  <button
                    type="button"
                    className="button button--quiet"
                    onClick={() => uploads.dismiss(u.key)}
                  >
                    {t('attachments.dismiss')}
                  </button>
                </>
              ) : (
                <>
                  <span>
                    {t('attachments.uploading', {
                      name: u.name,
                      percent: String(u.total > 0 ? Math.floor((100 * u.loaded) / u.total) : 0),
                    })}
                  </span>
                  <progress value={u.loaded} max={Math.max(1, u.total)} aria-label={u.name} />
                  <button
                    type="button"
                    className="button button--quiet"
                    onClick={() => uploads.cancel(u.key)}
                  >
                    {t('attachments.cancel')}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {failure && (
        <p className="banner banner--error" role="alert">
          {failure}{' '}
          <button type="button" className="button button--quiet" onClick={() => setFailure(null)}>
            {t('attachments.dismiss')}
          </button>
        </p>
      )}
      {list.length === 0 ? (
        <p className="attachments__empty">{t('attachments.empty')}</p>
      ) : (
        <ul className="attachments__list">
          {list.map((a) => (
            <AttachmentRow
              key={a.id}
              attachment={a}
              locale={locale}
              previewing={preview?.id === a.id}
              onPreview={() => void show(a)}
              onDownload={() => void download(a)}
            />
          ))}
        </ul>
      )}
      {preview && (
        <figure className="attachments__preview">
          {preview.type === 'application/pdf' ? (
            <iframe src={preview.url} title={preview.name} className="attachments__pdf" />
          ) : (
            <img src={preview.url} alt={preview.name} />
          )}
          <figcaption>
            {preview.name}{' '}
            <button type="button" className="button button--quiet" onClick={() => setPreview(null)}>
              {t('attachments.closePreview')}
            </button>
          </figcaption>
        </figure>
      )}
    </section>
  );
}

function AttachmentRow({
  attachment: a,
  locale,
  previewing,
  onPreview,
  onDownload,
}: {
  attachment: Attachment;
  locale: string;
  previewing: boolean;
  onPreview: () => void;
  onDownload: () => void;
}) {
  const t = useT();
  const by = useAppStore((state) => selectUserName(state, a.actorId));
  return (
    <li className="attachment" aria-label={a.name}>
      <span className="attachment__name">{a.name}</span>
      <span className="attachment__meta">
        {formatSize(a.size)} · {by ?? '—'} · {formatInstant(a.at, locale)}
      </span>
      {a.purgedAt ? (
        <span className="attachment__purged">
          {t('attachments.purged', { at: formatInstant(a.purgedAt, locale) })}
        </span>
      ) : (
        <span className="attachment__actions">
          {isInlineContentType(a.contentType) && (
            <button
              type="button"
              className="button button--quiet"
              aria-pressed={previewing}
              onClick={onPreview}
            >
              {t('attachments.preview')}
            </button>
          )}
          <button type="button" className="button button--quiet" onClick={onDownload}>
            {t('attachments.download')}
          </button>
        </span>
      )}
    </li>
  );
}
