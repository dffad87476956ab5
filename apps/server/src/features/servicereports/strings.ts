/** The PDF's words in the four languages of the console (decision 60). */
import type { ServiceReportLocale } from '@dutydesk/shared';

export interface PdfStrings {
  title: string;
  desk: string;
  period: string;
  generated: string;
  monthly: string;
  onDemand: string;
  tickets: string;
  majorIncidents: string;
  problems: string;
  empty: string;
  page: string;
  more: string;
}

export const PDF_STRINGS: Record<ServiceReportLocale, PdfStrings> = {
  en: {
    title: 'Service report',
    desk: 'Whole desk',
    period: 'Period',
    generated: 'Made',
    monthly: 'monthly report',
    onDemand: 'on demand',
    tickets: 'Tickets received',
    majorIncidents: 'Major incidents',
    problems: 'Problem records',
    empty: 'Nothing in this period.',
    page: 'Page {n} of {total}',
    more: '… {count} more rows in the console and the CSV',
  },
  'zh-CN': {
    title: '服务报告',
    desk: '全服务台',
    period: '期间',
    generated: '生成',
    monthly: '月度报告',
    onDemand: '手动生成',
    tickets: '受理工单',
    majorIncidents: '重大事件',
    problems: '问题记录',
    empty: '该期间没有数据。',
    page: '第 {n} 页，共 {total} 页',
    more: '… 另有 {count} 行，见控制台或 CSV',
  },
  ja: {
    title: 'サービスレポート',
    desk: 'デスク全体',
    period: '期間',
    generated: '作成',
    monthly: '月次レポート',
    onDemand: '手動作成',
    tickets: '受付チケット',
    majorIncidents: '重大インシデント',
    problems: '問題レコード',
    empty: 'この期間のデータはありません。',
    page: '{n} / {total} ページ',
    more: '… ほか {count} 行（コンソールまたは CSV）',
  },
  ko: {
    title: '서비스 보고서',
    desk: '데스크 전체',
    period: '기간',
    generated: '생성',
    monthly: '월간 보고서',
    onDemand: '수동 생성',
    tickets: '접수 티켓',
    majorIncidents: '주요 장애',
    problems: '문제 기록',
    empty: '이 기간에는 데이터가 없습니다.',
    page: '{n} / {total} 페이지',
    more: '… 외 {count}행 (콘솔 또는 CSV)',
  },
};

/** Fills `{name}` placeholders. */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (w, k: string) => (k in params ? String(params[k]) : w));
}
