import {
  getOffsetMs,
  holidayCn2023,
  holidayCn2024,
  holidayCn2025,
  holidayCn2026,
  holidayCn2026Ics,
  parseHolidayCnJson,
  type HolidayList,
} from '@dutydesk/shared';
import ICAL from 'ical.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildVtimezone, formatIcsHolidays, IcsError, parseIcsHolidays } from './ics';

type IcalComponent = InstanceType<typeof ICAL.Component>;

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const SHANGHAI = { timeZone: 'Asia/Shanghai' };
const NOW = new Date('2026-12-02T10:00:00Z');

describe('iCalendar import (real files)', () => {
  it('a three-day holiday given as DURATION:P3D imports as three days', () => {
    expect(parseIcsHolidays(fixture('duration-p3d.ics'), SHANGHAI)).toEqual({
      holidays: [
        { date: '2027-02-06', name: '春节' },
        { date: '2027-02-07', name: '春节' },
        { date: '2027-02-08', name: '春节' },
      ],
      workdays: [],
    });
  });

  it("a VALARM's SUMMARY does not overwrite the holiday's name", () => {
    expect(parseIcsHolidays(fixture('valarm-summary.ics'), SHANGHAI)).toEqual({
      holidays: [{ date: '2027-10-01', name: '国庆节' }],
      workdays: [],
    });
  });

  it('RRULE:FREQ=YEARLY;COUNT=3 yields three dates', () => {
    expect(parseIcsHolidays(fixture('rrule-count.ics'), SHANGHAI).holidays).toEqual([
      { date: '2027-01-01', name: '元旦' },
      { date: '2028-01-01', name: '元旦' },
      { date: '2029-01-01', name: '元旦' },
    ]);
  });

  it('STATUS:CANCELLED events are not imported', () => {
    expect(parseIcsHolidays(fixture('cancelled.ics'), SHANGHAI)).toEqual({
      holidays: [{ date: '2027-06-09', name: '端午节' }],
      workdays: [],
    });
  });

  it('EXDATE, a cancelled occurrence and a moved occurrence of a series', () => {
    expect(parseIcsHolidays(fixture('rrule-exceptions.ics'), SHANGHAI).holidays).toEqual([
      { date: '2027-05-20', name: 'Founders day' },
      { date: '2030-05-21', name: 'Founders day (moved)' },
    ]);
  });

  it('a normal file: a range, a make-up day, a folded title and a half day with TZID', () => {
    expect(parseIcsHolidays(fixture('normal.ics'), SHANGHAI)).toEqual({
      holidays: [
        { date: '2027-09-15', name: '中秋节' },
        { date: '2027-09-16', name: '中秋节' },
        { date: '2027-09-17', name: '中秋节' },
        {
          date: '2027-12-24',
          name: 'Christmas Eve afternoon off for the whole service desk team in the Shanghai office',
          off: [{ start: '12:00', end: '18:00' }],
        },
      ],
      workdays: [{ date: '2027-09-12', name: '中秋节' }],
    });
  });

  it("holiday-cn's own 2026.ics imports to exactly what its 2026.json does", () => {
    const fromIcs = parseIcsHolidays(holidayCn2026Ics, SHANGHAI);
    expect(fromIcs).toEqual(parseHolidayCnJson(holidayCn2026));
    expect(fromIcs.holidays).toHaveLength(33);
    const lf = holidayCn2026Ics.replace(/\r\n/g, '\n');
    expect(parseIcsHolidays(lf, SHANGHAI)).toEqual(fromIcs);
  });

  it('times in UTC or another zone are read in the calendar zone; a timed event over midnight splits', () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//t//t//EN',
      'BEGIN:VEVENT',
      'UID:a',
      'DTSTAMP:20261101T000000Z',
      'DTSTART:20270104T040000Z',
      'DTEND:20270104T060000Z',
      'SUMMARY:Maintenance',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:b',
      'DTSTAMP:20261101T000000Z',
      'DTSTART;TZID=Europe/Berlin:20270105T100000',
      'DTEND;TZID=Europe/Berlin:20270105T110000',
      'SUMMARY:Town hall',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:c',
      'DTSTAMP:20261101T000000Z',
      'DTSTART:20270106T200000',
      'DTEND:20270108T020000',
      'SUMMARY:Move',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    expect(parseIcsHolidays(ics, SHANGHAI).holidays).toEqual([
      { date: '2027-01-04', name: 'Maintenance', off: [{ start: '12:00', end: '14:00' }] },
      { date: '2027-01-05', name: 'Town hall', off: [{ start: '17:00', end: '18:00' }] },
      { date: '2027-01-06', name: 'Move', off: [{ start: '20:00', end: '24:00' }] },
      { date: '2027-01-07', name: 'Move' },
      { date: '2027-01-08', name: 'Move', off: [{ start: '00:00', end: '02:00' }] },
    ]);
  });

  it('refuses text that is not iCalendar, and bounds what a file can expand to', () => {
    expect(() => parseIcsHolidays('not a calendar')).toThrow(IcsError);
    expect(() => parseIcsHolidays('BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n')).toThrow(IcsError);
    const daily = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//t//t//EN',
      'BEGIN:VEVENT',
      'UID:d',
      'DTSTAMP:20261101T000000Z',
      'DTSTART;VALUE=DATE:20270101',
      'RRULE:FREQ=DAILY',
      'SUMMARY:Every day',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    expect(parseIcsHolidays(daily, SHANGHAI).holidays).toHaveLength(1_000);
  });
});

/** Parses with ical.js and checks what RFC 5545 requires of a published calendar. */
function validateRfc5545(text: string): IcalComponent {
  expect(text.endsWith('\r\n')).toBe(true);
  const lines = text.slice(0, -2).split('\r\n');
  for (const line of lines) {
    expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75);
    expect(line).not.toMatch(/[\r\n]/);
  }
  const root = new ICAL.Component(ICAL.parse(text) as [string, unknown[], unknown[]]);
  expect(root.name).toBe('vcalendar');
  expect(root.getAllProperties('version').map((p) => p.getFirstValue())).toEqual(['2.0']);
  expect(root.getAllProperties('prodid')).toHaveLength(1);
  const zones = new Map(
    root
      .getAllSubcomponents('vtimezone')
      .map((z) => [String(z.getFirstPropertyValue('tzid')), z] as const),
  );
  for (const z of zones.values()) {
    const observances = [
      ...z.getAllSubcomponents('standard'),
      ...z.getAllSubcomponents('daylight'),
    ];
    expect(observances.length).toBeGreaterThan(0);
    for (const o of observances) {
      for (const p of ['dtstart', 'tzoffsetfrom', 'tzoffsetto'])
        expect(o.hasProperty(p)).toBe(true);
    }
  }
  const events = root.getAllSubcomponents('vevent');
  expect(events.length).toBeGreaterThan(0);
  const uids = new Set<string>();
  for (const e of events) {
    for (const p of ['uid', 'dtstamp', 'dtstart']) expect(e.hasProperty(p), p).toBe(true);
    expect(e.getAllProperties('dtstamp')).toHaveLength(1);
    expect(String(e.getFirstPropertyValue('dtstamp'))).toMatch(/Z$/);
    expect(e.hasProperty('dtend') && e.hasProperty('duration')).toBe(false);
    const uid = String(e.getFirstPropertyValue('uid'));
    expect(uids.has(uid), `duplicate UID ${uid}`).toBe(false);
    uids.add(uid);
    for (const name of ['dtstart', 'dtend']) {
      const prop = e.getFirstProperty(name);
      const tzid = prop?.getParameter('tzid');
      if (typeof tzid === 'string') expect(zones.has(tzid), `VTIMEZONE for ${tzid}`).toBe(true);
    }
  }
  return root;
}

describe('iCalendar export', () => {
  const partial: HolidayList = {
    holidays: [
      { date: '2026-12-24', name: 'Christmas Eve', off: [{ start: '12:00', end: '24:00' }] },
      {
        date: '2026-12-31',
        name: 'New Year; Eve, the long one',
        off: [
          { start: '09:00', end: '10:00' },
          { start: '15:00', end: '18:00' },
        ],
      },
      { date: '2027-01-01', name: 'New Year' },
    ],
    workdays: [
      { date: '2027-01-02', name: 'make-up', windows: [{ start: '10:00', end: '16:00' }] },
      { date: '2027-01-03', name: 'make-up' },
    ],
  };

  it('validates as RFC 5545: VERSION, PRODID, UID, DTSTAMP, DTSTART, a VTIMEZONE for its TZID', () => {
    const text = formatIcsHolidays(partial, {
      now: NOW,
      timeZone: 'Europe/Berlin',
      name: 'A calendar with a rather long name so that the line has to be folded at 75 octets, 中文也要折行',
    });
    expect(text).toContain('DTSTART;TZID=Europe/Berlin:20261224T120000');
    expect(text).toContain('DTSTAMP:20261202T100000Z');
    const root = validateRfc5545(text);
    expect(root.getAllSubcomponents('vtimezone')).toHaveLength(1);
    expect(parseIcsHolidays(text, { timeZone: 'Europe/Berlin' })).toEqual(partial);
  });

  it('a calendar with no days is still a valid calendar (its zone is the one component)', () => {
    const text = formatIcsHolidays({ holidays: [], workdays: [] }, { now: NOW, ...SHANGHAI });
    const root = new ICAL.Component(ICAL.parse(text) as [string, unknown[], unknown[]]);
    expect(root.getAllSubcomponents('vtimezone')).toHaveLength(1);
    expect(root.getAllSubcomponents()).toHaveLength(1);
    expect(parseIcsHolidays(text, SHANGHAI)).toEqual({ holidays: [], workdays: [] });
  });

  it('the VTIMEZONE it writes gives the offsets of the zone, DST changes included', () => {
    const vtz = buildVtimezone('Europe/Berlin', 2026, 2027);
    const zone = new ICAL.Timezone(vtz);
    // ical.js reads a zone by local wall time: each must get the offset the zone has there.
    for (const [wall, hours] of [
      ['2026-01-15T12:00', 1],
      ['2026-03-29T01:59', 1],
      ['2026-03-29T03:00', 2],
      ['2026-07-01T12:00', 2],
      ['2026-10-25T01:59', 2],
      ['2026-10-25T03:00', 1],
      ['2027-03-28T03:30', 2],
      ['2027-10-31T03:30', 1],
    ] as const) {
      const local = ICAL.Time.fromDateTimeString(`${wall}:00`);
      expect(zone.utcOffset(local), wall).toBe(hours * 3600);
      const utc = Date.parse(`${wall}:00Z`) - hours * 3_600_000;
      expect(getOffsetMs('Europe/Berlin', utc), wall).toBe(hours * 3_600_000);
    }
    const shanghai = buildVtimezone('Asia/Shanghai', 2026, 2026);
    expect(shanghai.getAllSubcomponents('standard')).toHaveLength(1);
    expect(shanghai.getAllSubcomponents('daylight')).toHaveLength(0);
  });

  it.each([
    ['2023', holidayCn2023],
    ['2024', holidayCn2024],
    ['2025', holidayCn2025],
    ['2026', holidayCn2026],
  ])('%s holiday-cn: JSON → ICS → import round-trips and validates', (_year, data) => {
    const list = parseHolidayCnJson(data);
    const text = formatIcsHolidays(list, { now: NOW, name: '中国法定节假日', ...SHANGHAI });
    validateRfc5545(text);
    expect(parseIcsHolidays(text, SHANGHAI)).toEqual(list);
  });

  it("exports in holiday-cn's style: merged ranges with exclusive DTEND; no VTIMEZONE without a TZID", () => {
    const text = formatIcsHolidays(parseIcsHolidays(holidayCn2026Ics, SHANGHAI), {
      now: NOW,
      ...SHANGHAI,
    });
    expect(text).toMatch(
      /SUMMARY:春节假期\r\n(?:[A-Z]+:[^\r]*\r\n)*?DTSTART;VALUE=DATE:20260215\r\nDTEND;VALUE=DATE:20260224\r\n/,
    );
    expect(text).toContain('SUMMARY:上班(补国庆节假期)');
    expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(13);
    expect(text).not.toContain('BEGIN:VTIMEZONE');
    validateRfc5545(text);
  });
});
