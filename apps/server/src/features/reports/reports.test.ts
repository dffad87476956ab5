import {
  REPORT_COLUMN_LABELS,
  REPORT_NAMES,
  reportTableSchema,
  type ReportName,
  type ReportTable,
} from '@dutydesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import { DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { countEvents } from '../../testing/history';
import {
  expectedRows,
  expectSameRows,
  generateDesk,
  readCsv,
  readXlsx,
  setUpDesk,
  sortRows,
  type Desk,
  type ExpectedInput,
} from './reports.fixtures';

/** Monday 21 December 2026, 12:00 in Shanghai: the history runs up to the day before. */
const NOW = '2026-12-21T04:00:00.000Z';
const FROM = '2026-11-02';
const TO = '2026-12-20';
/** Reports whose rows come in an order of their own (most first) rather than by a key. */
const RANKED: readonly ReportName[] = ['volume', 'failing-modules', 'compensation'];

async function fetchReport(server: TestServer, token: string, path: string) {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, bytes: await res.arrayBuffer() };
}

/**
 * Every report's JSON equals its CSV and its XLSX (read back with exceljs, cell by cell), and its
 * figures equal the test's own recomputation, on generated history (issue 22, acceptance 4).
 * The 10 000-ticket case is reports.bulk.test.ts.
 */
describe.each(DRIVERS)('reports on %s', (driver) => {
  let server: TestServer;
  let desk: Desk;
  let input: ExpectedInput;
  const clock = new ManualClock(NOW);

  const json = async (name: string, query: string, token = desk.manager) => {
    const res = await server.api('GET', `/api/reports/${name}?${query}`, { token });
    expect(res.status, `${name}?${query}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(200);
    return reportTableSchema.parse(res.body) as ReportTable;
  };

  beforeAll(async () => {
    server = await startTestServer({ driver, clock });
    desk = await setUpDesk(server, 'r');
    const made = await generateDesk(server, desk, {
      count: 400,
      seed: 22,
      from: FROM,
      to: TO,
      now: new Date(NOW),
    });
    input = made.input;
    console.log(
      `reports (${driver}): ${input.planned.length} tickets (${await countEvents(server.ctx)} events in the log) and ${input.answers.length} surveys written in ${Math.round(made.writeMs + made.surveyMs)} ms`,
    );
  }, 180_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it('answers duty managers and admins only, and refuses bad periods clearly', async () => {
    const q = `from=${FROM}&to=${TO}`;
    expect(
      (await server.api('GET', `/api/reports/volume?${q}`, { token: desk.agent })).status,
    ).toBe(403);
    expect((await server.api('GET', `/api/reports/volume?${q}`, {})).status).toBe(401);
    expect(
      (await server.api('GET', `/api/reports/volume?${q}`, { token: desk.admin })).status,
    ).toBe(200);
    const reversed = await server.api('GET', '/api/reports/volume?from=2026-12-01&to=2026-11-01', {
      token: desk.manager,
    });
    expect(reversed.status).toBe(400);
    expect(JSON.stringify(reversed.body)).toContain('from must not be after to');
    for (const bad of [
      'from=2026-02-30&to=2026-03-01',
      'from=2026-01-01',
      `${q}&format=pdf`,
      `${q}&lang=fr`,
      `${q}&extra=1`,
    ])
      expect(
        (await server.api('GET', `/api/reports/volume?${bad}`, { token: desk.manager })).status,
        bad,
      ).toBe(400);
    const unknown = await server.api('GET', `/api/reports/volume?${q}&customerId=nobody`, {
      token: desk.manager,
    });
    expect(unknown.status).toBe(404);
    // The scorecards' and the surveys' own report routes are still theirs.
    const cards = await server.api(
      'GET',
      '/api/reports/scorecards?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z',
      {
        token: desk.manager,
      },
    );
    expect(cards.status).toBe(200);
  });

  it.each(REPORT_NAMES)(
    '%s: figures equal the recomputation, the whole desk and one customer',
    async (name) => {
      const whole = await json(name, `from=${FROM}&to=${TO}`);
      expect(whole).toMatchObject({
        name,
        from: FROM,
        to: TO,
        timeZone: 'Asia/Shanghai',
        generatedAt: NOW,
      });
      const want = expectedRows(name, FROM, TO, input);
      if (RANKED.includes(name)) {
        expectSameRows(sortRows(whole.rows.map(({ rank: _r, ...r }) => r)), sortRows(want), name);
        const counts = whole.rows.map((r) =>
          Number(name === 'compensation' ? r.compensation_minutes : (r.tickets ?? r.incidents)),
        );
        expect(counts, `${name}: most first`).toEqual([...counts].sort((a, b) => b - a));
        if (name === 'failing-modules')
          expect(whole.rows.map((r) => r.rank)).toEqual(whole.rows.map((_, i) => i + 1));
      } else expectSameRows(whole.rows, want, name);
      // A cut period: weeks start on the Monday before and are cut to the period.
      const cut = await json(name, 'from=2026-11-04&to=2026-11-30');
      const wantCut = expectedRows(name, '2026-11-04', '2026-11-30', input);
      if (RANKED.includes(name))
        expectSameRows(
          sortRows(cut.rows.map(({ rank: _r, ...r }) => r)),
          sortRows(wantCut),
          `${name} cut`,
        );
      else expectSameRows(cut.rows, wantCut, `${name} cut`);
      const org = desk.organisations[1]!.id;
      const one = await json(name, `from=${FROM}&to=${TO}&customerId=${org}`);
      expect(one.filters).toEqual({ customerId: org });
      const wantOne = expectedRows(name, FROM, TO, input, org);
      if (RANKED.includes(name))
        expectSameRows(
          sortRows(one.rows.map(({ rank: _r, ...r }) => r)),
          sortRows(wantOne),
          `${name} one`,
        );
      else expectSameRows(one.rows, wantOne, `${name} one customer`);
      expect(whole.rows.length, `${name} has rows`).toBeGreaterThan(0);
    },
  );

  it.each(REPORT_NAMES)('%s: the JSON equals its CSV and its XLSX, cell by cell', async (name) => {
    const q = `from=${FROM}&to=${TO}`;
    const table = await json(name, q);
    const csv = await fetchReport(
      server,
      desk.manager,
      `/api/reports/${name}?${q}&format=csv&lang=zh-CN`,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(
      `attachment; filename="dutydesk-${name}-${FROM}_${TO}.csv"`,
    );
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(csv.bytes);
    const read = readCsv(text, table.columns);
    expect(read.header).toEqual(
      table.columns.map(
        (c) => REPORT_COLUMN_LABELS[c.key]!['zh-CN'] + (c.type === 'duration_ms' ? ' (毫秒)' : ''),
      ),
    );
    expect(read.rows).toEqual(table.rows);

    const xlsx = await fetchReport(
      server,
      desk.manager,
      `/api/reports/${name}?${q}&format=xlsx&lang=ja`,
    );
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(xlsx.headers.get('content-disposition')).toBe(
      `attachment; filename="dutydesk-${name}-${FROM}_${TO}.xlsx"`,
    );
    const book = await readXlsx(xlsx.bytes, table.columns);
    expect(book.header).toEqual(
      table.columns.map(
        (c) => REPORT_COLUMN_LABELS[c.key]!.ja + (c.type === 'duration_ms' ? ' (時:分)' : ''),
      ),
    );
    expect(book.frozen).toBe(true);
    expect(book.bold).toBe(true);
    expect(book.rows).toEqual(table.rows);
    table.columns.forEach((c, i) => {
      const fmt = book.formats[i];
      if (!fmt) return;
      if (c.type === 'ratio') expect(fmt).toBe('0.0%');
      if (c.type === 'duration_ms') expect(fmt).toBe('[h]:mm');
      if (c.type === 'date') expect(fmt).toBe('yyyy-mm-dd');
    });
  });

  it('quotes CSV fields by RFC 4180 and writes English headers by default', async () => {
    const res = await fetchReport(
      server,
      desk.manager,
      `/api/reports/compensation?from=${FROM}&to=${TO}&format=csv`,
    );
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(res.bytes);
    expect(
      text.startsWith(
        '\uFEFFCustomer id,Customer,Tickets,Breached tickets,Compensation (minutes)\r\n',
      ),
    ).toBe(true);
    expect(text).toContain('华信证券');
    expect(text).toContain('"Nordic Rail, ""North"""');
    const volume = await fetchReport(
      server,
      desk.manager,
      `/api/reports/response-times?from=${FROM}&to=${TO}&format=csv`,
    );
    const first = new TextDecoder('utf-8', { ignoreBOM: true })
      .decode(volume.bytes)
      .split('\r\n')[0];
    expect(first).toContain('Response p50 (ms)');
  });
});
