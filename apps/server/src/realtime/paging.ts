import type { StoredEvent } from '../features/events/events.repo';

/** Events per `sync` answer and per replay page. */
export const SYNC_PAGE_EVENTS = 500;
/** Serialised bytes per `sync` answer, replay page or `GET /api/events` page (about). */
export const PAGE_MAX_BYTES = 1_000_000;

/** About how many bytes an event takes on the wire (its data dominates; the envelope ~200). */
export function estimateEventBytes(e: StoredEvent): number {
  return 200 + (e.data === undefined ? 0 : JSON.stringify(e.data).length);
}

/**
 * The longest prefix of `events` within `maxBytes` (always at least one event, so a page
 * makes progress); `cut` says whether events were left for the next page.
 */
export function cutPage(
  events: readonly StoredEvent[],
  maxBytes: number,
): { events: StoredEvent[]; cut: boolean } {
  let bytes = 0;
  for (let i = 0; i < events.length; i += 1) {
    bytes += estimateEventBytes(events[i] as StoredEvent);
    if (bytes > maxBytes && i > 0) return { events: events.slice(0, i), cut: true };
  }
  return { events: [...events], cut: false };
}
