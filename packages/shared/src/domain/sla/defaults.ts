import type { BusinessCalendar, HolidayList, WorkingWindow } from './calendar';
import { businessCalendarSchema } from './calendar';
import { holidayCn2023 } from './data/holidayCn2023';
import { holidayCn2024 } from './data/holidayCn2024';
import { holidayCn2025 } from './data/holidayCn2025';
import { holidayCn2026 } from './data/holidayCn2026';
import { parseHolidayCnJson } from './holidayImport';
import type { SlaPolicy, SlaThreshold } from './policy';
import { slaPolicySchema } from './policy';

/** Time zone of a fresh install. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Ids of the calendars shipped on a fresh install. */
export const DefaultCalendarId = {
  always: '24x7',
  cnDay: 'cn-0900-1800',
  cnExtended: 'cn-0900-2100',
} as const;
export type DefaultCalendarId = (typeof DefaultCalendarId)[keyof typeof DefaultCalendarId];

/** Id of the default SLA policy. */
export const DEFAULT_SLA_POLICY_ID = 'default';

/** China's official holidays and make-up working days for the years shipped (2023–2026). */
export const chinaHolidays: HolidayList = parseHolidayCnJson(
  holidayCn2023,
  holidayCn2024,
  holidayCn2025,
  holidayCn2026,
);

/** The holiday-cn years shipped with the engine. */
export const CHINA_HOLIDAY_YEARS: readonly number[] = [2023, 2024, 2025, 2026];

/**
 * Builds a calendar of China working days (Monday–Friday plus make-up days, minus official
 * holidays) with the same windows every working day.
 * @example buildChinaCalendar('cn-0800-1700', [{ start: '08:00', end: '17:00' }])
 */
export function buildChinaCalendar(
  id: string,
  windows: WorkingWindow[],
  holidays: HolidayList = chinaHolidays,
  timeZone: string = DEFAULT_TIME_ZONE,
): BusinessCalendar {
  return businessCalendarSchema.parse({
    id,
    timeZone,
    weekly: { mon: windows, tue: windows, wed: windows, thu: windows, fri: windows },
    extraWorkdayWindows: windows,
    holidays: holidays.holidays,
    workdays: holidays.workdays,
  });
}

/** The calendars of a fresh install: `24x7`, `cn-0900-2100`, `cn-0900-1800` (Asia/Shanghai). */
export const defaultCalendars: Readonly<Record<DefaultCalendarId, BusinessCalendar>> = {
  '24x7': businessCalendarSchema.parse({
    id: DefaultCalendarId.always,
    name: '7×24',
    timeZone: DEFAULT_TIME_ZONE,
    alwaysOpen: true,
  }),
  'cn-0900-2100': {
    ...buildChinaCalendar(DefaultCalendarId.cnExtended, [{ start: '09:00', end: '21:00' }]),
    name: '09:00–21:00 on China working days',
  },
  'cn-0900-1800': {
    ...buildChinaCalendar(DefaultCalendarId.cnDay, [{ start: '09:00', end: '18:00' }]),
    name: '09:00–18:00 on China working days',
  },
};

/** Warnings at 50 %, 75 %, 90 %; breach at 100 %. */
export const defaultThresholds: SlaThreshold[] = [
  { percent: 50, afterMinutes: 0, colour: 'green' },
  { percent: 75, afterMinutes: 0, colour: 'amber' },
  { percent: 90, afterMinutes: 0, colour: 'red' },
  { percent: 100, afterMinutes: 0, colour: 'red' },
];

/**
 * The SLA policy of a fresh install (docs/architecture.md §5):
 * P1 7×24 response 15 min, update every 60 min, resolve 4 h, compensation 100 %;
 * P2 09:00–21:00 working days response 45 min, resolve 2 h, 50 %;
 * P3 09:00–18:00 working days response within 4 business hours but no later than 09:00 the
 * next working day (the earlier; decision 15), resolve 8 h, 20 %.
 * Clocks pause while `pending` with reason `customer`. Complaints get contact targets
 * (`contact-15m`, `contact-2h`, `contact-24h`, met by the milestone of that name), major
 * incidents `announce` (1 h) and `restore` (4 h) and, below P1, a 60-min `update` clock.
 */
export const defaultSlaPolicy: SlaPolicy = slaPolicySchema.parse({
  id: DEFAULT_SLA_POLICY_ID,
  name: 'Default service commitments',
  pauseWhen: [{ status: 'pending', reason: 'customer' }],
  thresholds: defaultThresholds,
  priorities: {
    P1: {
      compensationPercent: 100,
      targets: [
        {
          name: 'response',
          due: { kind: 'duration', calendar: '24x7', minutes: 15 },
          stopOn: ['firstResponse', 'resolved'],
        },
        {
          name: 'update',
          due: { kind: 'duration', calendar: '24x7', minutes: 60 },
          start: 'lastPublicUpdate',
          stopOn: ['resolved'],
        },
        {
          name: 'resolve',
          due: { kind: 'duration', calendar: '24x7', minutes: 240 },
          stopOn: ['resolved'],
        },
      ],
    },
    P2: {
      compensationPercent: 50,
      targets: [
        {
          name: 'response',
          due: { kind: 'duration', calendar: 'cn-0900-2100', minutes: 45 },
          stopOn: ['firstResponse', 'resolved'],
        },
        {
          name: 'resolve',
          due: { kind: 'duration', calendar: 'cn-0900-2100', minutes: 120 },
          stopOn: ['resolved'],
        },
      ],
    },
    P3: {
      compensationPercent: 20,
      targets: [
        {
          name: 'response',
          // Decision 15: the earlier of "within 4 h" and "before 09:00 the next working day".
          due: { kind: 'earlierOf', calendar: 'cn-0900-1800', minutes: 240, time: '09:00' },
          stopOn: ['firstResponse', 'resolved'],
        },
        {
          name: 'resolve',
          due: { kind: 'duration', calendar: 'cn-0900-1800', minutes: 480 },
          stopOn: ['resolved'],
        },
      ],
    },
  },
  extraTargets: [
    ...(
      [
        ['contact-15m', 15],
        ['contact-2h', 120],
        ['contact-24h', 1440],
      ] as const
    ).map(([name, minutes]) => ({
      name,
      due: { kind: 'duration' as const, calendar: '24x7', minutes },
      stopOn: ['milestone' as const, 'resolved' as const],
      appliesTo: { kinds: ['complaint'] },
    })),
    {
      name: 'announce',
      due: { kind: 'duration', calendar: '24x7', minutes: 60 },
      stopOn: ['milestone', 'resolved'],
      appliesTo: { majorIncident: true },
    },
    {
      name: 'restore',
      due: { kind: 'duration', calendar: '24x7', minutes: 240 },
      stopOn: ['milestone', 'resolved'],
      appliesTo: { majorIncident: true },
    },
    {
      name: 'update',
      due: { kind: 'duration', calendar: '24x7', minutes: 60 },
      start: 'lastPublicUpdate',
      stopOn: ['resolved'],
      appliesTo: { majorIncident: true, priorities: ['P2', 'P3'] },
    }, // Issue 19: a device's orange warning must see pre-maintenance start within 2 h (met by
    // the milestone of that name, or the resolution); a hotline call is answered within 30 s
    // (met when the CTI reports the answer).
    {
      name: 'pre-maintenance started',
      due: { kind: 'duration', calendar: '24x7', minutes: 120 },
      stopOn: ['milestone', 'resolved'],
      appliesTo: { categories: ['pre-maintenance'] },
    },
    {
      name: 'answer',
      due: { kind: 'duration', calendar: '24x7', minutes: 0, seconds: 30 },
      stopOn: ['milestone'],
      appliesTo: { categories: ['hotline-call'] },
    },
  ],
});
