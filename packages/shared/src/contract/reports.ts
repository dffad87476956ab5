/**
 * Reports (issue 22, decision 59): one tabular shape for every report, so the console's screen,
 * the CSV and XLSX exports and the monthly PDF are generic. `GET /api/reports/<name>` answers a
 * `ReportTable` (`format=json`), or the same table as CSV or XLSX. Every figure's definition is
 * in docs/metrics.md "Reports".
 */
import { z } from 'zod';
import type { LocaleName } from './auth';
import { localeSchema } from './auth';

/** The reports `GET /api/reports/<name>` serves, in the order a screen lists them. */
export const REPORT_NAMES = [
  'sla-attainment',
  'response-times',
  'volume',
  'failing-modules',
  'redispatch-ftf',
  'survey-trends',
  'compensation',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];
export const reportNameSchema = z.enum(REPORT_NAMES);

/**
 * A column's type says how to show and export its values:
 * - `text`: a string (or null);
 * - `count`: a whole number;
 * - `number`: a decimal (an average score, an NPS, minutes);
 * - `ratio`: part ÷ whole in [0, 1], shown as a percent; null when the whole is 0 ("—");
 * - `duration_ms`: milliseconds, shown as h:mm (XLSX: a time value) or minutes;
 * - `money`: an amount in the desk's currency, two decimals;
 * - `date`: a desk day `YYYY-MM-DD` (a week's row is its Monday).
 */
export const REPORT_COLUMN_TYPES = [
  'text',
  'count',
  'number',
  'ratio',
  'duration_ms',
  'money',
  'date',
] as const;
export type ReportColumnType = (typeof REPORT_COLUMN_TYPES)[number];

export const reportColumnSchema = z.object({
  key: z.string().min(1),
  type: z.enum(REPORT_COLUMN_TYPES),
});
export type ReportColumn = z.infer<typeof reportColumnSchema>;

export const reportCellSchema = z.union([z.string(), z.number(), z.null()]);
export type ReportCell = z.infer<typeof reportCellSchema>;

export const reportChartSchema = z.object({
  kind: z.enum(['line', 'bar']),
  /** The column on the x axis (one row per x value). */
  x: z.string(),
  /** The columns drawn as series (numbers; ratios as percent). */
  series: z.array(z.string()).min(1),
});
export type ReportChart = z.infer<typeof reportChartSchema>;

const DESK_DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const deskDaySchema = z
  .string()
  .regex(DESK_DAY, 'a desk day YYYY-MM-DD')
  .refine((d) => {
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, day));
    return t.getUTCMonth() === m - 1 && y >= 1970 && y < 2200;
  }, 'not a calendar day');

/**
 * One report: `from` and `to` are desk days (the desk's time zone, `to` included), `generatedAt`
 * the server's instant, `rows` keyed by the columns' keys (every key present, null when there
 * is no value).
 */
export const reportTableSchema = z.object({
  name: reportNameSchema,
  from: deskDaySchema,
  to: deskDaySchema,
  /** The desk's time zone the days are read in (`Asia/Shanghai`). */
  timeZone: z.string(),
  generatedAt: z.string(),
  /** Filters applied besides the period. */
  filters: z.object({ customerId: z.string().nullable() }),
  columns: z.array(reportColumnSchema).min(1),
  rows: z.array(z.record(z.string(), reportCellSchema)),
  chart: reportChartSchema.optional(),
});
export type ReportTable = z.infer<typeof reportTableSchema>;

/** Longest period a report covers, in days (both ends included). */
export const REPORT_MAX_DAYS = 366;

export const REPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The query of `GET /api/reports/<name>`. */
export const reportQuerySchema = z
  .object({
    from: deskDaySchema.describe('First desk day of the period (the desk’s time zone)'),
    to: deskDaySchema.describe('Last desk day of the period, included'),
    format: z.enum(REPORT_FORMATS).default('json'),
    lang: localeSchema.default('en').describe('Language of the CSV and XLSX header row'),
    customerId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Only the tickets of this customer organisation (reports that have customers)'),
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1 <= REPORT_MAX_DAYS, {
    message: `at most ${REPORT_MAX_DAYS} days`,
    path: ['to'],
  });
export type ReportQuery = z.infer<typeof reportQuerySchema>;

const PRIORITIES = ['p1', 'p2', 'p3'] as const;
const col = (key: string, type: ReportColumnType): ReportColumn => ({ key, type });

/** Every report's columns and chart: the server fills the rows (the screen may lay out before). */
export const REPORT_LAYOUTS: Readonly<
  Record<
    ReportName,
    { columns: readonly ReportColumn[]; chart?: ReportChart; customerFilter: boolean }
  >
> = {
  'sla-attainment': {
    columns: [
      col('week', 'date'),
      ...PRIORITIES.flatMap((p) => [
        col(`${p}_met`, 'count'),
        col(`${p}_breached`, 'count'),
        col(`${p}_rate`, 'ratio'),
      ]),
      col('met', 'count'),
      col('breached', 'count'),
      col('rate', 'ratio'),
    ],
    chart: { kind: 'line', x: 'week', series: ['p1_rate', 'p2_rate', 'p3_rate', 'rate'] },
    customerFilter: true,
  },
  'response-times': {
    columns: [
      col('priority', 'text'),
      col('response_count', 'count'),
      col('response_p50', 'duration_ms'),
      col('response_p90', 'duration_ms'),
      col('response_mean', 'duration_ms'),
      col('resolution_count', 'count'),
      col('resolution_p50', 'duration_ms'),
      col('resolution_p90', 'duration_ms'),
      col('resolution_mean', 'duration_ms'),
    ],
    chart: { kind: 'bar', x: 'priority', series: ['response_p50', 'resolution_p50'] },
    customerFilter: true,
  },
  volume: {
    columns: [
      col('label', 'text'),
      col('category', 'text'),
      col('module', 'text'),
      col('tickets', 'count'),
      col('p1', 'count'),
      col('p2', 'count'),
      col('p3', 'count'),
      col('share', 'ratio'),
    ],
    chart: { kind: 'bar', x: 'label', series: ['tickets'] },
    customerFilter: true,
  },
  'failing-modules': {
    columns: [
      col('rank', 'count'),
      col('module', 'text'),
      col('incidents', 'count'),
      col('p1', 'count'),
      col('major', 'count'),
      col('reopened', 'count'),
      col('share', 'ratio'),
    ],
    chart: { kind: 'bar', x: 'module', series: ['incidents'] },
    customerFilter: true,
  },
  'redispatch-ftf': {
    columns: [
      col('scope', 'text'),
      col('id', 'text'),
      col('name', 'text'),
      col('resolved', 'count'),
      col('redispatched', 'count'),
      col('redispatch_rate', 'ratio'),
      col('first_time_fixed', 'count'),
      col('first_time_fix_rate', 'ratio'),
    ],
    chart: { kind: 'bar', x: 'name', series: ['redispatch_rate', 'first_time_fix_rate'] },
    customerFilter: true,
  },
  'survey-trends': {
    columns: [
      col('week', 'date'),
      col('csat_responses', 'count'),
      col('csat_average', 'number'),
      col('csat_satisfied_rate', 'ratio'),
      col('csat_response_rate', 'ratio'),
      col('nps_responses', 'count'),
      col('nps_promoters', 'count'),
      col('nps_detractors', 'count'),
      col('nps', 'number'),
    ],
    chart: { kind: 'line', x: 'week', series: ['csat_satisfied_rate', 'nps'] },
    customerFilter: true,
  },
  compensation: {
    columns: [
      col('customer_id', 'text'),
      col('customer', 'text'),
      col('tickets', 'count'),
      col('breached_tickets', 'count'),
      col('compensation_minutes', 'number'),
    ],
    chart: { kind: 'bar', x: 'customer', series: ['compensation_minutes'] },
    customerFilter: true,
  },
};

type Labels = Readonly<Record<LocaleName, string>>;
const l = (en: string, zhCN: string, ja: string, ko: string): Labels => ({
  en,
  'zh-CN': zhCN,
  ja,
  ko,
});

/** Each report's title in the console's languages. */
export const REPORT_TITLES: Readonly<Record<ReportName, Labels>> = {
  'sla-attainment': l(
    'SLA attainment by week and priority',
    '按周和优先级的 SLA 达成率',
    '週・優先度別 SLA 達成率',
    '주별·우선순위별 SLA 달성률',
  ),
  'response-times': l(
    'First-response and resolution times',
    '首次响应和解决时长',
    '初回応答・解決時間',
    '최초 응답 및 해결 시간',
  ),
  volume: l(
    'Volume by category and module',
    '按类别和模块的工单量',
    'カテゴリ・モジュール別件数',
    '범주·모듈별 건수',
  ),
  'failing-modules': l(
    'Modules that fail most',
    '故障最多的模块',
    '障害の多いモジュール',
    '장애가 많은 모듈',
  ),
  'redispatch-ftf': l(
    'Re-dispatch and first-time-fix rates',
    '转派率和一次解决率',
    '再割当率・一次解決率',
    '재배정률 및 1차 해결률',
  ),
  'survey-trends': l(
    'CSAT and NPS by week',
    '按周的 CSAT 和 NPS',
    '週別 CSAT・NPS',
    '주별 CSAT 및 NPS',
  ),
  compensation: l(
    'Compensation owed per customer',
    '按客户的应付补偿',
    '顧客別の補償額',
    '고객별 보상',
  ),
};

const PRIORITY_LABELS: ReadonlyArray<[string, Labels]> = PRIORITIES.map((p) => {
  const n = p.toUpperCase();
  return [p, l(n, n, n, n)] as [string, Labels];
});

/** Every column key's header in the console's languages (CSV, XLSX, the screen's table). */
export const REPORT_COLUMN_LABELS: Readonly<Record<string, Labels>> = {
  week: l('Week (Monday)', '周（周一）', '週（月曜日）', '주(월요일)'),
  ...Object.fromEntries(
    PRIORITY_LABELS.flatMap(([p, n]) => [
      [p, n],
      [`${p}_met`, l(`${n.en} met`, `${n.en} 达成`, `${n.en} 達成`, `${n.en} 달성`)],
      [`${p}_breached`, l(`${n.en} breached`, `${n.en} 超时`, `${n.en} 違反`, `${n.en} 위반`)],
      [`${p}_rate`, l(`${n.en} attainment`, `${n.en} 达成率`, `${n.en} 達成率`, `${n.en} 달성률`)],
    ]),
  ),
  met: l('Met', '达成', '達成', '달성'),
  breached: l('Breached', '超时', '違反', '위반'),
  rate: l('Attainment', '达成率', '達成率', '달성률'),
  priority: l('Priority', '优先级', '優先度', '우선순위'),
  response_count: l('Responses', '响应数', '応答数', '응답 수'),
  response_p50: l('Response p50', '响应 p50', '応答 p50', '응답 p50'),
  response_p90: l('Response p90', '响应 p90', '応答 p90', '응답 p90'),
  response_mean: l('Response mean', '响应平均', '応答平均', '응답 평균'),
  resolution_count: l('Resolved', '已解决', '解決数', '해결 수'),
  resolution_p50: l('Resolution p50', '解决 p50', '解決 p50', '해결 p50'),
  resolution_p90: l('Resolution p90', '解决 p90', '解決 p90', '해결 p90'),
  resolution_mean: l('Resolution mean', '解决平均', '解決平均', '해결 평균'),
  label: l('Category / module', '类别 / 模块', 'カテゴリ / モジュール', '범주 / 모듈'),
  category: l('Category', '类别', 'カテゴリ', '범주'),
  module: l('Module', '模块', 'モジュール', '모듈'),
  tickets: l('Tickets', '工单数', 'チケット数', '티켓 수'),
  share: l('Share', '占比', '割合', '비율'),
  rank: l('Rank', '排名', '順位', '순위'),
  incidents: l('Incidents', '故障数', 'インシデント数', '장애 수'),
  major: l('Major incidents', '重大事件', '重大インシデント', '중대 장애'),
  reopened: l('Reopened', '重开', '再オープン', '재개'),
  scope: l('Scope', '范围', '範囲', '범위'),
  id: l('Id', '编号', 'ID', 'ID'),
  name: l('Name', '名称', '名前', '이름'),
  resolved: l('Resolved', '已解决', '解決数', '해결 수'),
  redispatched: l('Re-dispatched', '转派', '再割当', '재배정'),
  redispatch_rate: l('Re-dispatch rate', '转派率', '再割当率', '재배정률'),
  first_time_fixed: l('Fixed first time', '一次解决', '一次解決', '1차 해결'),
  first_time_fix_rate: l('First-time-fix rate', '一次解决率', '一次解決率', '1차 해결률'),
  csat_responses: l('CSAT answers', 'CSAT 回复数', 'CSAT 回答数', 'CSAT 응답 수'),
  csat_average: l('CSAT average', 'CSAT 平均分', 'CSAT 平均', 'CSAT 평균'),
  csat_satisfied_rate: l('Satisfied (4–5)', '满意率（4–5）', '満足（4–5）', '만족(4–5)'),
  csat_response_rate: l('CSAT response rate', 'CSAT 回复率', 'CSAT 回答率', 'CSAT 응답률'),
  nps_responses: l('NPS answers', 'NPS 回复数', 'NPS 回答数', 'NPS 응답 수'),
  nps_promoters: l('Promoters', '推荐者', '推奨者', '추천자'),
  nps_detractors: l('Detractors', '贬损者', '批判者', '비추천자'),
  nps: l('NPS', 'NPS', 'NPS', 'NPS'),
  customer_id: l('Customer id', '客户编号', '顧客 ID', '고객 ID'),
  customer: l('Customer', '客户', '顧客', '고객'),
  breached_tickets: l('Breached tickets', '超时工单', '違反チケット', '위반 티켓'),
  compensation_minutes: l('Compensation (minutes)', '补偿（分钟）', '補償（分）', '보상(분)'),
};

/** Values of the `scope` column of `redispatch-ftf`, and the label of the desk's own row. */
export const REPORT_SCOPE_LABELS: Readonly<Record<'desk' | 'team' | 'agent', Labels>> = {
  desk: l('Desk', '服务台', 'デスク', '데스크'),
  team: l('Team', '团队', 'チーム', '팀'),
  agent: l('Agent', '坐席', '担当者', '상담원'),
};

/** A column's header in a language (the key itself when no label is known). */
export function reportColumnLabel(key: string, locale: LocaleName): string {
  return REPORT_COLUMN_LABELS[key]?.[locale] ?? key;
}
