/**
 * The mail templates (decision 38): subject, plain text and simple HTML in English, Simplified
 * Chinese, Japanese and Korean. A template's words are lines with `{name}` placeholders filled
 * from the mail's params; `{link}` lines become a link in HTML. Rendering is pure (no IO): the
 * sender resolves the links first (`MailLinks`) and passes them in.
 */
import { z } from 'zod';

export const MAIL_LOCALES = ['en', 'zh-CN', 'ja', 'ko'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];
export const mailLocaleSchema = z.enum(MAIL_LOCALES);

export const MAIL_TEMPLATES = [
  /** A ticket was opened for the contact (or linked to them). */
  'ticket.receipt',
  /** A public comment on the contact's ticket. */
  'ticket.update',
  /** A milestone awaits the contact's signature. */
  'ticket.signature',
  /** The ticket was resolved: the resolution and the survey link. */
  'ticket.resolved',
  /** An alert for a staff member who is off shift. */
  'staff.alert',
  /** A device's health went red (intake, issue 19): to the organisation's operations lead. */
  'device.alert',
  /** The quarterly NPS survey of a sampled contact (decision 53). */
  'survey.nps',
  /** A problem's fault-analysis report to the customer's technical contact (decision 58). */
  'problem.faultReport',
] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];
export const mailTemplateSchema = z.enum(MAIL_TEMPLATES);

/** The words of one template in one language. */
interface Words {
  subject: string;
  lines: readonly string[];
}

/**
 * The params each template reads (all strings). `ticketId` and `contactId` are for the links
 * (never shown); a missing param shows as empty.
 */
export const TEMPLATE_PARAMS: Readonly<Record<MailTemplate, readonly string[]>> = {
  'ticket.receipt': ['ticketId', 'contactId', 'ticketNumber', 'ticketTitle', 'contactName'],
  'ticket.update': ['ticketId', 'contactId', 'ticketNumber', 'ticketTitle', 'contactName', 'body'],
  'ticket.signature': [
    'ticketId',
    'contactId',
    'ticketNumber',
    'ticketTitle',
    'contactName',
    'milestoneTitle',
  ],
  'ticket.resolved': [
    'ticketId',
    'contactId',
    'ticketNumber',
    'ticketTitle',
    'contactName',
    'summary',
  ],
  'staff.alert': ['ticketId', 'ticketNumber', 'userName', 'message', 'severity'],
  'device.alert': [
    'ticketId',
    'contactId',
    'ticketNumber',
    'contactName',
    'device',
    'metric',
    'value',
    'threshold',
  ],
  'survey.nps': ['contactId', 'contactName', 'round'],
  'problem.faultReport': [
    'ticketId',
    'contactId',
    'ticketNumber',
    'contactName',
    'problemNumber',
    'problemTitle',
    'cause',
    'process',
    'prevention',
  ],
};

/** Which links a template carries. */
const LINKS: Readonly<Record<MailTemplate, { ticket: boolean; survey: boolean }>> = {
  'ticket.receipt': { ticket: true, survey: false },
  'ticket.update': { ticket: true, survey: false },
  'ticket.signature': { ticket: true, survey: false },
  'ticket.resolved': { ticket: true, survey: true },
  'staff.alert': { ticket: true, survey: false },
  'device.alert': { ticket: true, survey: false },
  'survey.nps': { ticket: false, survey: true },
  'problem.faultReport': { ticket: false, survey: false },
};

export function linksOf(template: MailTemplate): { ticket: boolean; survey: boolean } {
  return LINKS[template];
}

const WORDS: Readonly<Record<MailTemplate, Readonly<Record<MailLocale, Words>>>> = {
  'ticket.receipt': {
    en: {
      subject: '[{ticketNumber}] We have received your request: {ticketTitle}',
      lines: [
        'Dear {contactName},',
        'we have received your request and opened ticket {ticketNumber}: {ticketTitle}.',
        'You can follow its progress here:',
        '{ticketLink}',
      ],
    },
    'zh-CN': {
      subject: '【{ticketNumber}】我们已收到您的请求：{ticketTitle}',
      lines: [
        '{contactName}，您好：',
        '我们已收到您的请求，工单号 {ticketNumber}：{ticketTitle}。',
        '您可以在这里查看处理进度：',
        '{ticketLink}',
      ],
    },
    ja: {
      subject: '【{ticketNumber}】お問い合わせを受け付けました：{ticketTitle}',
      lines: [
        '{contactName} 様',
        'お問い合わせを受け付け、チケット {ticketNumber}「{ticketTitle}」を作成しました。',
        '進捗はこちらでご確認いただけます：',
        '{ticketLink}',
      ],
    },
    ko: {
      subject: '[{ticketNumber}] 요청이 접수되었습니다: {ticketTitle}',
      lines: [
        '{contactName} 님께,',
        '요청이 접수되어 티켓 {ticketNumber} "{ticketTitle}"이(가) 생성되었습니다.',
        '진행 상황은 여기에서 확인하실 수 있습니다:',
        '{ticketLink}',
      ],
    },
  },
  'ticket.update': {
    en: {
      subject: '[{ticketNumber}] Update on your request: {ticketTitle}',
      lines: [
        'Dear {contactName},',
        'there is an update on ticket {ticketNumber}:',
        '{body}',
        'See the whole ticket here:',
        '{ticketLink}',
      ],
    },
    'zh-CN': {
      subject: '【{ticketNumber}】您的请求有新进展：{ticketTitle}',
      lines: [
        '{contactName}，您好：',
        '工单 {ticketNumber} 有新的进展：',
        '{body}',
        '查看工单详情：',
        '{ticketLink}',
      ],
    },
    ja: {
      subject: '【{ticketNumber}】お問い合わせの進捗：{ticketTitle}',
      lines: [
        '{contactName} 様',
        'チケット {ticketNumber} に更新があります：',
        '{body}',
        'チケットの詳細はこちら：',
        '{ticketLink}',
      ],
    },
    ko: {
      subject: '[{ticketNumber}] 요청 진행 상황: {ticketTitle}',
      lines: [
        '{contactName} 님께,',
        '티켓 {ticketNumber}에 새 소식이 있습니다:',
        '{body}',
        '티켓 전체 내용은 여기에서 보실 수 있습니다:',
        '{ticketLink}',
      ],
    },
  },
  'ticket.signature': {
    en: {
      subject: '[{ticketNumber}] Your signature is needed: {milestoneTitle}',
      lines: [
        'Dear {contactName},',
        'the milestone "{milestoneTitle}" of ticket {ticketNumber} ({ticketTitle}) awaits your signature.',
        'Please review and sign it here:',
        '{ticketLink}',
      ],
    },
    'zh-CN': {
      subject: '【{ticketNumber}】请您签字确认：{milestoneTitle}',
      lines: [
        '{contactName}，您好：',
        '工单 {ticketNumber}（{ticketTitle}）的里程碑“{milestoneTitle}”等待您签字确认。',
        '请在这里查看并签字：',
        '{ticketLink}',
      ],
    },
    ja: {
      subject: '【{ticketNumber}】ご署名のお願い：{milestoneTitle}',
      lines: [
        '{contactName} 様',
        'チケット {ticketNumber}（{ticketTitle}）のマイルストーン「{milestoneTitle}」がご署名をお待ちしています。',
        'こちらでご確認のうえご署名ください：',
        '{ticketLink}',
      ],
    },
    ko: {
      subject: '[{ticketNumber}] 서명이 필요합니다: {milestoneTitle}',
      lines: [
        '{contactName} 님께,',
        '티켓 {ticketNumber}({ticketTitle})의 마일스톤 "{milestoneTitle}"이(가) 서명을 기다리고 있습니다.',
        '여기에서 확인하시고 서명해 주십시오:',
        '{ticketLink}',
      ],
    },
  },
  'ticket.resolved': {
    en: {
      subject: '[{ticketNumber}] Your request has been resolved: {ticketTitle}',
      lines: [
        'Dear {contactName},',
        'ticket {ticketNumber} ({ticketTitle}) has been resolved:',
        '{summary}',
        'The ticket:',
        '{ticketLink}',
        'How did we do? Please tell us in a one-minute survey:',
        '{surveyLink}',
      ],
    },
    'zh-CN': {
      subject: '【{ticketNumber}】您的请求已解决：{ticketTitle}',
      lines: [
        '{contactName}，您好：',
        '工单 {ticketNumber}（{ticketTitle}）已解决：',
        '{summary}',
        '查看工单：',
        '{ticketLink}',
        '请用一分钟为本次服务评分：',
        '{surveyLink}',
      ],
    },
    ja: {
      subject: '【{ticketNumber}】お問い合わせは解決しました：{ticketTitle}',
      lines: [
        '{contactName} 様',
        'チケット {ticketNumber}（{ticketTitle}）は解決しました：',
        '{summary}',
        'チケット：',
        '{ticketLink}',
        '1分ほどのアンケートにご協力ください：',
        '{surveyLink}',
      ],
    },
    ko: {
      subject: '[{ticketNumber}] 요청이 해결되었습니다: {ticketTitle}',
      lines: [
        '{contactName} 님께,',
        '티켓 {ticketNumber}({ticketTitle})이(가) 해결되었습니다:',
        '{summary}',
        '티켓:',
        '{ticketLink}',
        '1분 설문으로 서비스를 평가해 주십시오:',
        '{surveyLink}',
      ],
    },
  },
  'staff.alert': {
    en: {
      subject: '[Dutydesk] Alert for you: {ticketNumber} {message}',
      lines: [
        '{userName},',
        'an alert ({severity}) was raised for you while you are off shift:',
        '{message}',
        '{ticketLink}',
      ],
    },
    'zh-CN': {
      subject: '【Dutydesk】您有一条告警：{ticketNumber} {message}',
      lines: [
        '{userName}：',
        '您不在班时收到一条告警（{severity}）：',
        '{message}',
        '{ticketLink}',
      ],
    },
    ja: {
      subject: '【Dutydesk】アラート：{ticketNumber} {message}',
      lines: [
        '{userName} さん',
        '勤務時間外にアラート（{severity}）が発生しました：',
        '{message}',
        '{ticketLink}',
      ],
    },
    ko: {
      subject: '[Dutydesk] 알림: {ticketNumber} {message}',
      lines: [
        '{userName} 님,',
        '근무 시간 외에 알림({severity})이 발생했습니다:',
        '{message}',
        '{ticketLink}',
      ],
    },
  },
  'device.alert': {
    en: {
      subject: '[{ticketNumber}] Device {device}: {metric} at {value} (threshold {threshold})',
      lines: [
        'Dear {contactName},',
        'device {device} reports {metric} at {value}, more than 50 % over its threshold {threshold}.',
        'A field-service ticket {ticketNumber} has been opened:',
        '{ticketLink}',
      ],
    },
    'zh-CN': {
      subject: '【{ticketNumber}】设备 {device}：{metric} 为 {value}（阈值 {threshold}）',
      lines: [
        '{contactName}，您好：',
        '设备 {device} 的 {metric} 为 {value}，超过阈值 {threshold} 的 50% 以上。',
        '我们已开出现场服务工单 {ticketNumber}：',
        '{ticketLink}',
      ],
    },
    ja: {
      subject: '【{ticketNumber}】機器 {device}：{metric} が {value}（しきい値 {threshold}）',
      lines: [
        '{contactName} 様',
        '機器 {device} の {metric} が {value} となり、しきい値 {threshold} を 50% 以上超えました。',
        'オンサイト対応のチケット {ticketNumber} を作成しました：',
        '{ticketLink}',
      ],
    },
    ko: {
      subject: '[{ticketNumber}] 장비 {device}: {metric} {value} (임계값 {threshold})',
      lines: [
        '{contactName} 님께,',
        '장비 {device}의 {metric}이(가) {value}(으)로 임계값 {threshold}을(를) 50% 이상 초과했습니다.',
        '현장 서비스 티켓 {ticketNumber}이(가) 생성되었습니다:',
        '{ticketLink}',
      ],
    },
  },
  'survey.nps': {
    en: {
      subject: 'How likely are you to recommend our service desk?',
      lines: [
        'Dear {contactName},',
        'on a scale from 0 to 10, how likely are you to recommend our service to a colleague? Two questions, one minute:',
        '{surveyLink}',
        'Thank you for helping us improve.',
      ],
    },
    'zh-CN': {
      subject: '您有多大可能向同事推荐我们的服务？',
      lines: [
        '{contactName}，您好：',
        '请用 0 到 10 分告诉我们，您有多大可能向同事推荐我们的服务？两个问题，只需一分钟：',
        '{surveyLink}',
        '感谢您帮助我们改进。',
      ],
    },
    ja: {
      subject: '当サービスデスクを同僚に勧める可能性はどのくらいですか？',
      lines: [
        '{contactName} 様',
        '当サービスを同僚に勧める可能性を 0〜10 でお聞かせください。質問は二つ、一分で終わります：',
        '{surveyLink}',
        'サービス向上へのご協力ありがとうございます。',
      ],
    },
    ko: {
      subject: '저희 서비스 데스크를 동료에게 추천하실 가능성은 얼마나 되십니까?',
      lines: [
        '{contactName} 님께,',
        '저희 서비스를 동료에게 추천하실 가능성을 0부터 10까지로 알려 주세요. 두 가지 질문, 1분이면 됩니다:',
        '{surveyLink}',
        '개선에 도움을 주셔서 감사합니다.',
      ],
    },
  },
  'problem.faultReport': {
    en: {
      subject: '[{ticketNumber}] Fault analysis report {problemNumber}: {problemTitle}',
      lines: [
        'Dear {contactName},',
        'here is our fault analysis of {ticketNumber} ({problemNumber}: {problemTitle}).',
        'Cause:',
        '{cause}',
        'How it was handled:',
        '{process}',
        'Prevention:',
        '{prevention}',
        'Please tell us whether this answers the fault for you.',
      ],
    },
    'zh-CN': {
      subject: '【{ticketNumber}】故障分析报告 {problemNumber}：{problemTitle}',
      lines: [
        '{contactName}，您好：',
        '以下是 {ticketNumber}（{problemNumber}：{problemTitle}）的故障分析报告。',
        '故障原因：',
        '{cause}',
        '处理过程：',
        '{process}',
        '预防措施：',
        '{prevention}',
        '如对本报告有任何意见，请告知我们。',
      ],
    },
    ja: {
      subject: '【{ticketNumber}】障害分析報告 {problemNumber}：{problemTitle}',
      lines: [
        '{contactName} 様',
        '{ticketNumber}（{problemNumber}：{problemTitle}）の障害分析報告をお送りします。',
        '原因：',
        '{cause}',
        '対応の経過：',
        '{process}',
        '再発防止策：',
        '{prevention}',
        'ご不明な点がございましたらお知らせください。',
      ],
    },
    ko: {
      subject: '[{ticketNumber}] 장애 분석 보고서 {problemNumber}: {problemTitle}',
      lines: [
        '{contactName} 님께,',
        '{ticketNumber}({problemNumber}: {problemTitle})의 장애 분석 보고서입니다.',
        '원인:',
        '{cause}',
        '처리 과정:',
        '{process}',
        '재발 방지 대책:',
        '{prevention}',
        '의견이 있으시면 알려 주십시오.',
      ],
    },
  },
};

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

function fill(line: string, values: Readonly<Record<string, string>>): string {
  return line.replace(PLACEHOLDER, (_m, name: string) => values[name] ?? '');
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Renders a template in a language with its params and links (`ticketLink`, `surveyLink`). A
 * line that is only a link becomes an `<a>` in HTML; a line whose only placeholder is empty is
 * left out. Subject lines are one line (newlines in params become spaces) of at most 200 chars.
 */
export function renderMail(
  template: MailTemplate,
  locale: MailLocale,
  params: Readonly<Record<string, string>>,
  links: { ticketLink?: string; surveyLink?: string },
): RenderedMail {
  const words = WORDS[template][locale];
  const values: Record<string, string> = { ...params };
  if (links.ticketLink) values.ticketLink = links.ticketLink;
  if (links.surveyLink) values.surveyLink = links.surveyLink;
  const subjectValues = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, v.replace(/[\r\n]+/g, ' ')]),
  );
  const subject = fill(words.subject, subjectValues).trim().slice(0, 200);
  const text: string[] = [];
  const html: string[] = [];
  for (const line of words.lines) {
    const link = /^\{(ticketLink|surveyLink)\}$/.exec(line);
    if (link) {
      const url = values[link[1] as string];
      if (!url) continue;
      text.push(url);
      html.push(`<p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>`);
      continue;
    }
    const only = /^\{([A-Za-z]+)\}$/.exec(line);
    if (only && !values[only[1] as string]) continue;
    const filled = fill(line, values);
    text.push(filled);
    html.push(`<p>${escapeHtml(filled).replace(/\r?\n/g, '<br>')}</p>`);
  }
  return {
    subject,
    text: `${text.join('\n\n')}\n`,
    html: `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">${html.join('')}</body></html>`,
  };
}

/** The language a mail goes out in: the contact's or user's tag matched to a template language. */
export function pickLocale(tag: string | null | undefined, fallback: MailLocale): MailLocale {
  const t = (tag ?? '').trim().toLowerCase();
  if (t === '') return fallback;
  if (t.startsWith('zh')) return 'zh-CN';
  if (t.startsWith('ja')) return 'ja';
  if (t.startsWith('ko')) return 'ko';
  if (t.startsWith('en')) return 'en';
  return fallback;
}
