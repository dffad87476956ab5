import { useCallback, useEffect, useRef, useState } from 'react';

const PREFIX = 'dutydesk.draft.';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The localStorage key of one draft: per user, ticket and form. */
export function draftKey(userId: string, ticketId: string, form: string): string {
  return `${PREFIX}${userId}.${ticketId}.${form}`;
}

export function readDraft<T extends object>(key: string, initial: T): T {
  const raw = storage()?.getItem(key);
  if (!raw) return initial;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object'
      ? { ...initial, ...(parsed as Partial<T>) }
      : initial;
  } catch {
    return initial;
  }
}

/**
 * Form state kept in localStorage as it is typed, so a reload, a reconnect or
 * a crash loses nothing. `clear()` after the command is accepted.
 */
export function useDraft<T extends object>(
  key: string,
  initial: T,
): [T, (patch: Partial<T>) => void, () => void] {
  const initialRef = useRef(initial);
  const [value, setValue] = useState<T>(() => readDraft(key, initial));
  const keyRef = useRef(key);
  useEffect(() => {
    if (keyRef.current === key) return;
    keyRef.current = key;
    setValue(readDraft(key, initialRef.current));
  }, [key]);
  const update = useCallback(
    (patch: Partial<T>) =>
      setValue((current) => {
        const next = { ...current, ...patch };
        storage()?.setItem(keyRef.current, JSON.stringify(next));
        return next;
      }),
    [],
  );
  const clear = useCallback(() => {
    storage()?.removeItem(keyRef.current);
    setValue(initialRef.current);
  }, []);
  return [value, update, clear];
}
