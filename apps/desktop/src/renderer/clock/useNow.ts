import { useCallback, useSyncExternalStore } from 'react';

interface Ticker {
  now: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | null;
}

// One interval per period for the whole page, however many rows tick: a
// visible queue of 40 countdowns costs one timer, not 40.
const tickers = new Map<number, Ticker>();

function tickerFor(intervalMs: number): Ticker {
  let ticker = tickers.get(intervalMs);
  if (!ticker) {
    ticker = { now: Date.now(), listeners: new Set(), timer: null };
    tickers.set(intervalMs, ticker);
  }
  return ticker;
}

function subscribeTicker(intervalMs: number, listener: () => void): () => void {
  const ticker = tickerFor(intervalMs);
  ticker.listeners.add(listener);
  if (ticker.timer === null) {
    ticker.now = Date.now();
    ticker.timer = setInterval(() => {
      ticker.now = Date.now();
      for (const notify of ticker.listeners) notify();
    }, intervalMs);
  }
  return () => {
    ticker.listeners.delete(listener);
    if (ticker.listeners.size === 0) {
      if (ticker.timer !== null) clearInterval(ticker.timer);
      tickers.delete(intervalMs);
    }
  };
}

/**
 * Calls `onTick(now)` on every beat of the page's shared `intervalMs` ticker, outside React:
 * for text that changes every second and nothing else (a countdown), writing it directly
 * costs a fraction of re-rendering. Returns the unsubscribe function.
 */
export function subscribeTick(intervalMs: number, onTick: (now: number) => void): () => void {
  const ticker = tickerFor(intervalMs);
  return subscribeTicker(intervalMs, () => onTick(ticker.now));
}

/**
 * Sets an element's text, reusing its one text node: a change to `Text.data` costs the browser
 * a re-shape of that text, where `textContent =` replaces the node (a new layout object each
 * time). For text written every second outside React.
 */
export function writeText(el: HTMLElement, text: string): void {
  const node = el.firstChild;
  if (node instanceof Text && node.nextSibling === null) {
    if (node.data !== text) node.data = text;
  } else {
    el.textContent = text;
  }
}

/**
 * The local time, refreshed every `intervalMs`. Countdowns derive from it at
 * render time; nothing ticking is stored.
 */
export function useNow(intervalMs = 1000): number {
  const subscribe = useCallback(
    (listener: () => void) => subscribeTicker(intervalMs, listener),
    [intervalMs],
  );
  const getSnapshot = useCallback(() => tickerFor(intervalMs).now, [intervalMs]);
  return useSyncExternalStore(subscribe, getSnapshot);
}
