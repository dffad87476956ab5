import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { CalendarsPanel, detectImportType } from './CalendarsPanel';
import { ok, renderAdmin, scriptedApi } from './adminTesting';

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//test//EN',
  'BEGIN:VEVENT',
  'UID:1@test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;VALUE=DATE:20260101',
  'DTEND;VALUE=DATE:20260102',
  'SUMMARY:元旦',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

const calendars = [
  {
    id: '24x7',
    name: '7×24',
    timeZone: 'Asia/Shanghai',
    alwaysOpen: true,
    holidays: [],
    workdays: [],
  },
  {
    id: 'cn-0900-1800',
    name: 'Office hours',
    timeZone: 'Asia/Shanghai',
    alwaysOpen: false,
    holidays: [{ date: '2026-01-02' }],
    workdays: [],
  },
];
const answer = {
  version: 3,
  imported: { holidays: 1, workdays: 1 },
  diff: {
    added: [{ date: '2026-01-01', kind: 'holiday', name: '元旦', hours: null }],
    removed: [],
    changed: [
      {
        date: '2026-01-04',
        before: { date: '2026-01-04', kind: 'holiday', name: null, hours: null },
        after: { date: '2026-01-04', kind: 'workday', name: '元旦', hours: null },
      },
    ],
    unchanged: 7,
  },
  preview: {
    at: '2026-03-02T02:00:00.000Z',
    total: 4,
    moved: 0,
    earlier: 0,
    later: 0,
    becomeOverdue: 0,
    moves: [],
    truncated: false,
  },
};

describe('<CalendarsPanel>', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it('tells iCalendar from holiday-cn JSON', () => {
    expect(detectImportType('2026.ics', '{')).toBe('text/calendar');
    expect(detectImportType('2026.json', 'BEGIN')).toBe('application/json');
    expect(detectImportType('', ' {"year":2026}')).toBe('application/json');
    expect(detectImportType('', 'BEGIN:VCALENDAR')).toBe('text/calendar');
  });

  it('shows an .ics import as a diff of days before it can be applied, then the re-plan', async () => {
    const user = userEvent.setup();
    let polled = 0;
    const api = scriptedApi({
      'GET /sla/calendars': ok({ version: 2, calendars }),
      'POST /sla/calendars/cn-0900-1800/import/preview': ok(answer),
      'POST /sla/calendars/cn-0900-1800/import': ok(
        {
          version: 3,
          imported: { holidays: 1, workdays: 1 },
          replan: { id: 'job-2', status: 'running', href: '/api/sla/replans/job-2' },
        },
        202,
      ),
      'GET /sla/replans/job-2': () => {
        polled += 1;
        return ok({ id: 'job-2', status: 'done', total: 4, done: 4, changed: 0, error: null });
      },
    });
    renderAdmin(<CalendarsPanel />, api);
    const into = await screen.findByLabelText('Into calendar');
    expect((into as HTMLSelectElement).value).toBe('cn-0900-1800');
    const apply = screen.getByRole('button', { name: 'Apply import' });
    expect((apply as HTMLButtonElement).disabled).toBe(true);
    await user.upload(
      screen.getByLabelText('File'),
      new File([ICS], '2026.ics', { type: 'text/calendar' }),
    );
    await screen.findByText(`Read as iCalendar (${ICS.length} characters).`);
    expect((apply as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Preview import' }));

    const diff = await screen.findByRole('region', { name: 'Preview: days' });
    expect(within(diff).getByText('1 days added, 0 removed, 1 changed, 7 unchanged.')).toBeTruthy();
    expect(within(diff).getByRole('row', { name: /2026-01-01 Added Holiday · 元旦/ })).toBeTruthy();
    expect(
      within(diff).getByRole('row', { name: /2026-01-04 Changed Holiday Working day · 元旦/ }),
    ).toBeTruthy();
    const tickets = screen.getByRole('region', { name: 'Preview: open tickets' });
    expect(within(tickets).getByText('None becomes overdue.')).toBeTruthy();
    const sent = api.calls.find((c) => c.path.endsWith('/import/preview'));
    expect(sent).toMatchObject({ body: ICS, contentType: 'text/calendar' });
    expect(api.calls.some((c) => c.path.endsWith('/import'))).toBe(false);

    await waitFor(() => expect((apply as HTMLButtonElement).disabled).toBe(false));
    await user.click(apply);
    await screen.findByText('Imported into cn-0900-1800: 1 holidays, 1 working days.');
    expect(
      await screen.findByText('Re-plan finished: 4 tickets, 0 changed.', {}, { timeout: 5_000 }),
    ).toBeTruthy();
    expect(polled).toBe(1);
    expect(api.calls.find((c) => c.path.endsWith('/import'))).toMatchObject({
      method: 'POST',
      body: ICS,
      contentType: 'text/calendar',
    });
  });

  it('shows a refused import with the server’s words and applies nothing', async () => {
    const user = userEvent.setup();
    const api = scriptedApi({
      'GET /sla/calendars': ok({ version: 2, calendars }),
      'POST /sla/calendars/cn-0900-1800/import/preview': {
        ok: false,
        status: 400,
        code: 'invalid',
        message: 'Expected holiday-cn JSON (one year or a list of years) or iCalendar text',
        fields: [{ path: 'days.0.date', message: 'Invalid date' }],
      },
    });
    renderAdmin(<CalendarsPanel />, api);
    await user.type(await screen.findByLabelText("Or paste the file's text"), '{{"year": 2026}');
    await user.click(screen.getByRole('button', { name: 'Preview import' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Not saved: check the marked fields.');
    expect(alert.textContent).toContain('days.0.date Invalid date');
    expect(api.calls.find((c) => c.method === 'POST')?.contentType).toBe('application/json');
    expect(
      (screen.getByRole('button', { name: 'Apply import' }) as HTMLButtonElement).disabled,
    ).toBe(true);
  });
});
