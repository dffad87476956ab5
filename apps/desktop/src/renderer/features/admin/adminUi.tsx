import { useEffect, useId, useRef, useState } from 'react';
import type { RefObject } from 'react';
import type { ReactNode } from 'react';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import { fieldsAt, useAdminApi } from './adminApi';
import type { AdminOutcome, FieldProblem } from './adminApi';

/** The signed-in token ('' when signed out: the screen is not shown then). */
export function useAdminToken(): string {
  return useAppStore((state) => state.session?.token ?? '');
}

/**
 * GETs `path` from the admin API, again whenever `round` changes: `data` is the last good
 * answer, `failed` the refusal of the last read (cleared by the next good one). An answer that
 * arrives after the screen moved on (unmounted, another path) is dropped. Every admin list
 * reads through this.
 */
export function useAdminRead<T>(
  path: string,
  round = 0,
): { data: T | null; failed: AdminOutcome<unknown> | null } {
  const api = useAdminApi();
  const token = useAdminToken();
  const [data, setData] = useState<T | null>(null);
  const [failed, setFailed] = useState<AdminOutcome<unknown> | null>(null);
  useEffect(() => {
    let live = true;
    void api.request<T>(token, 'GET', path).then((result) => {
      if (!live) return;
      if (result.ok) {
        setData(result.body);
        setFailed(null);
      } else setFailed(result);
    });
    return () => {
      live = false;
    };
  }, [api, token, path, round]);
  return { data, failed };
}

/** Whether the signed-in user holds one of these roles (the console hides; the server decides). */
export function useHasRole(...roles: string[]): boolean {
  return useAppStore((state) => state.session?.user.roles.some((r) => roles.includes(r)) ?? false);
}

/**
 * A modal dialog on the native `<dialog>` (`showModal`: the page behind is inert, focus stays
 * inside, Esc cancels). The opener gets the focus back when it closes. Keys typed inside do
 * not reach the console's single-letter shortcuts.
 */
export function AdminDialog({
  title,
  onClose,
  children,
  wide = false,
}: {
  title: string;
  onClose(): void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (typeof dialog.showModal === 'function') {
      if (!dialog.open) dialog.showModal();
    } else {
      dialog.setAttribute('open', '');
    }
    dialog.querySelector<HTMLElement>('[autofocus], input, select, textarea, button')?.focus();
    return () => {
      if (dialog.open && typeof dialog.close === 'function') dialog.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? 'admin-dialog admin-dialog--wide' : 'admin-dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        closeRef.current();
      }}
      onKeyDown={(event) => {
        event.stopPropagation();
        if (event.key === 'Escape') {
          event.preventDefault();
          closeRef.current();
        }
      }}
    >
      <h2 id={titleId} className="admin-dialog__title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}

/** The server's words for each refused field under `path`, tied to the control by `id`. */
export function FieldErrors({
  id,
  fields,
  path,
  exact = false,
}: {
  id: string;
  fields: readonly FieldProblem[];
  path: string;
  /** Only the refusals of `path` itself, not of the fields under it (shown by their own). */
  exact?: boolean;
}) {
  const at = exact ? fields.filter((f) => f.path === path) : fieldsAt(fields, path);
  if (at.length === 0) return null;
  return (
    <span id={id} className="admin-field-error" role="alert">
      {at
        .map((f) =>
          f.path === path ? f.message : `${f.path.slice(path.length + 1)}: ${f.message}`,
        )
        .join(' · ')}
    </span>
  );
}

const ERROR_KEYS: Record<string, MessageKey> = {
  invalid: 'admin.error.invalid',
  forbidden: 'admin.error.forbidden',
  conflict: 'admin.error.conflict',
  not_found: 'admin.error.notFound',
  unauthorized: 'admin.error.unauthorized',
  rate_limited: 'admin.error.rateLimited',
  unavailable: 'admin.error.unavailable',
};

/**
 * What went wrong with a request as a whole: the error in the seat's language, the server's
 * message, and any refused field the form shows nowhere else (`shown`: the paths it shows).
 */
export function FormError({
  outcome,
  shown = [],
  exact = false,
}: {
  outcome: AdminOutcome<unknown> | null;
  shown?: readonly string[];
  /** `shown` are exact paths (each shown where it is), not prefixes. */
  exact?: boolean;
}) {
  const t = useT();
  if (!outcome || outcome.ok) return null;
  const key = ERROR_KEYS[outcome.code] ?? 'admin.error.unexpected';
  const rest = outcome.fields.filter((f) =>
    exact
      ? !shown.includes(f.path)
      : !shown.some((p) => f.path === p || f.path.startsWith(`${p}.`)),
  );
  return (
    <div className="admin-form-error" role="alert">
      <strong>{t(key, { status: outcome.status })}</strong>
      {outcome.message && <span> {outcome.message}</span>}
      {rest.length > 0 && (
        <ul>
          {rest.map((f) => (
            <li key={`${f.path}:${f.message}`}>
              {f.path ? <code>{f.path}</code> : null} {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The refused fields of an outcome (none when it succeeded or is absent). */
export function refusedFields(outcome: AdminOutcome<unknown> | null): FieldProblem[] {
  return outcome && !outcome.ok ? outcome.fields : [];
}

/** `aria-invalid` / `aria-describedby` for a control whose field the server refused. */
export function invalidProps(
  fields: readonly FieldProblem[],
  path: string,
  errorId: string,
): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  return fieldsAt(fields, path).length > 0
    ? { 'aria-invalid': true, 'aria-describedby': errorId }
    : {};
}

/** The attributes a control gets from {@link AdminField}. */
export interface ControlProps {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

/**
 * A labelled control with the server's refusal for `path` under it (outside the label, so the
 * label names the control alone; the control points at the words with `aria-describedby`).
 */
export function AdminField({
  label,
  path,
  fields,
  className = 'field',
  children,
}: {
  label: string;
  path: string;
  fields: readonly FieldProblem[];
  className?: string;
  children(props: ControlProps): ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className={className}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children({ id, ...invalidProps(fields, path, errorId) })}
      <FieldErrors id={errorId} fields={fields} path={path} />
    </div>
  );
}

/** Brings a report into view when it appears (a preview below a long form). */
export function useScrollIntoView<T extends HTMLElement>(): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, []);
  return ref;
}
