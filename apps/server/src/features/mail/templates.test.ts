import { describe, expect, it } from 'vitest';
import { readConfig } from '../../config';
import { describeSmtpError, messageIdOf, retryDelayMs } from './sender';
import {
  MAIL_LOCALES,
  MAIL_TEMPLATES,
  TEMPLATE_PARAMS,
  linksOf,
  pickLocale,
  renderMail,
} from './templates';

describe('mail templates', () => {
  it('render every template in every language with its params and links', () => {
    for (const template of MAIL_TEMPLATES)
      for (const locale of MAIL_LOCALES) {
        const params = Object.fromEntries(TEMPLATE_PARAMS[template].map((p) => [p, `<${p}>`]));
        const out = renderMail(template, locale, params, {
          ticketLink: 'https://desk.example.com/portal/tickets/t-1?contact=c-1&x=1',
          surveyLink: 'https://desk.example.com/portal/tickets/t-1/survey?contact=c-1',
        });
        expect(out.subject.length, `${template} ${locale}`).toBeGreaterThan(5);
        expect(out.subject).not.toMatch(/[\r\n{}]/);
        expect(out.text).not.toMatch(/\{[A-Za-z]+\}/);
        // HTML: params escaped, links as anchors with & escaped.
        expect(out.html).not.toMatch(/<(ticketNumber|contactName|ticketTitle)>/);
        if (linksOf(template).ticket) {
          expect(out.text).toContain('/portal/tickets/t-1');
          expect(out.html).toContain(
            'href="https://desk.example.com/portal/tickets/t-1?contact=c-1&amp;x=1"',
          );
        } else expect(out.text).not.toContain('/portal/tickets/t-1?');
        if (linksOf(template).survey) expect(out.text).toContain('/survey?contact=c-1');
        else expect(out.text).not.toContain('/survey');
      }
  });

  it('keeps the subject on one line and leaves out a line whose only value is empty', () => {
    const out = renderMail(
      'ticket.update',
      'en',
      { ticketNumber: 'INC-1', ticketTitle: 'two\nlines', contactName: 'Ann', body: '' },
      {},
    );
    expect(out.subject).toBe('[INC-1] Update on your request: two lines');
    expect(out.text.split('\n\n')).toHaveLength(3);
  });

  it('picks the language from a contact’s tag', () => {
    expect(pickLocale('ja-JP', 'zh-CN')).toBe('ja');
    expect(pickLocale('zh-Hant-TW', 'en')).toBe('zh-CN');
    expect(pickLocale('ko', 'en')).toBe('ko');
    expect(pickLocale('en-GB', 'zh-CN')).toBe('en');
    expect(pickLocale('fr', 'zh-CN')).toBe('zh-CN');
    expect(pickLocale(null, 'en')).toBe('en');
  });
});

describe('the sender’s pure parts', () => {
  it('backs off exponentially with jitter up to an hour', () => {
    expect(retryDelayMs(1, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(2, () => 0.5)).toBe(60_000);
    expect(retryDelayMs(20, () => 0.5)).toBe(3_600_000);
    expect(retryDelayMs(1, () => 0)).toBe(24_000);
    expect(retryDelayMs(1, () => 1)).toBe(36_000);
  });

  it('makes one Message-ID per dedupe key in the sender’s domain', () => {
    const a = messageIdOf('ticket:t-1:receipt:c-1', 'Desk <desk@example.com>');
    expect(a).toMatch(/^<[0-9a-f]{32}@example\.com>$/);
    expect(messageIdOf('ticket:t-1:receipt:c-1', 'desk@example.com')).toBe(a);
    expect(messageIdOf('event:9:update', 'desk@example.com')).not.toBe(a);
  });

  it('never repeats the SMTP password in an error', () => {
    const url = 'smtp://desk:p%40ss-Word9@mail.example.com:587';
    const err = Object.assign(new Error('Invalid login for desk:p@ss-Word9'), {
      code: 'EAUTH',
      responseCode: 535,
    });
    const text = describeSmtpError(err, url);
    expect(text).toContain('EAUTH 535');
    expect(text).not.toContain('p@ss-Word9');
  });
});

describe('mail configuration', () => {
  it('reads the SMTP URL, the From and the public URL', () => {
    const c = readConfig({
      DUTYDESK_SMTP_URL: 'smtps://u:secret@mail.example.com',
      DUTYDESK_MAIL_FROM: 'Desk <desk@example.com>',
      DUTYDESK_PUBLIC_URL: 'https://desk.example.com/',
    });
    expect(c.mail.smtpUrl).toBe('smtps://u:secret@mail.example.com');
    expect(c.mail.from).toBe('Desk <desk@example.com>');
    expect(c.mail.maxAgeHours).toBe(72);
    expect(c.publicUrl).toBe('https://desk.example.com');
    expect(readConfig({}).mail.smtpUrl).toBeUndefined();
  });

  it('refuses a bad SMTP URL without repeating its password', () => {
    expect(() => readConfig({ DUTYDESK_SMTP_URL: 'http://u:hunter22@mail' })).toThrow(
      /DUTYDESK_SMTP_URL must be smtp:/,
    );
    try {
      readConfig({ DUTYDESK_SMTP_URL: 'http://u:hunter22@mail' });
    } catch (err) {
      expect(String(err)).not.toContain('hunter22');
    }
    expect(() => readConfig({ DUTYDESK_PUBLIC_URL: 'ftp://x' })).toThrow(/DUTYDESK_PUBLIC_URL/);
  });
});
