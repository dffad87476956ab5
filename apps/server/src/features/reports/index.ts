/**
 * What other features may use of the reports feature (its module, reports.module.ts, is
 * composed by server.ts): a report's table, and its CSV and XLSX (the monthly report).
 */
export { buildReport, REPORT_TIME_ZONE } from './reports.service';
export { toCsv, toXlsx } from './export';
