import { useEffect, useSyncExternalStore } from 'react';

/** One entry of the command palette. */
export interface PaletteAction {
  id: string;
  label: string;
  shortcut?: string;
  run(): void;
}

const sources = new Map<string, readonly PaletteAction[]>();
const listeners = new Set<() => void>();
let snapshot: readonly PaletteAction[] = [];

function publish(): void {
  snapshot = [...sources.values()].flat();
  for (const listener of listeners) listener();
}

/** Views add their actions while mounted (the workspace adds the ticket's actions). */
export function usePaletteActions(sourceId: string, actions: readonly PaletteAction[]): void {
  useEffect(() => {
    sources.set(sourceId, actions);
    publish();
    return () => {
      sources.delete(sourceId);
      publish();
    };
  }, [sourceId, actions]);
}

/** Every registered action, in registration order. */
export function usePaletteRegistry(): readonly PaletteAction[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => snapshot,
  );
}

/** Whether a key event comes from a place where letters are text, not shortcuts. */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
