import { buildChinaCalendar, defaultCalendars } from '@dutydesk/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadDeskCalendars, readClockStart, setDeskCalendars } from './calendars';

/** Monday 2 March 2026, 08:30 in Shanghai. */
const EARLY = Date.parse('2026-03-02T00:30:00Z');

describe('desk calendars for countdown hints', () => {
  afterEach(() => setDeskCalendars(defaultCalendars));

  it('reads the next working start from the shipped calendars; none for 7×24 or unknown ids', () => {
    expect(readClockStart('cn-0900-1800', EARLY)).toBe(Date.parse('2026-03-02T01:00:00Z'));
    expect(readClockStart('cn-0900-1800', Date.parse('2026-03-02T02:00:00Z'))).toBeNull();
    expect(readClockStart('24x7', EARLY)).toBeNull();
    expect(readClockStart('nope', EARLY)).toBeNull();
    expect(readClockStart(undefined, EARLY)).toBeNull();
  });

  it("takes the server's calendars for an admin, and asks nothing for other roles", async () => {
    const tenAm = buildChinaCalendar('cn-0900-1800', [{ start: '10:00', end: '18:00' }]);
    const fetchMock = vi.fn(() =>
      Promise.resolve(new Response(JSON.stringify({ version: 2, calendars: [tenAm] }))),
    );
    await loadDeskCalendars('tok', ['agent'], fetchMock as unknown as typeof fetch);
    expect(fetchMock).not.toHaveBeenCalled();
    await loadDeskCalendars('tok', ['admin'], fetchMock as unknown as typeof fetch);
    expect(fetchMock).toHaveBeenCalledWith('/api/sla/calendars', {
      headers: { authorization: 'Bearer tok' },
    });
    expect(readClockStart('cn-0900-1800', EARLY)).toBe(Date.parse('2026-03-02T02:00:00Z'));
  });
});
