import { describe, expect, it } from 'vitest';
import {
  contactFieldsSchema,
  isPhoneQuery,
  mayWriteCustomers,
  normaliseName,
  normalisePhone,
} from './customers';

describe('customer record helpers', () => {
  it('keeps only the digits of a phone number', () => {
    expect(normalisePhone('+86 138-0013-8000')).toBe('8613800138000');
    expect(normalisePhone('(021) 5555 0101 ext. 12')).toBe('0215555010112');
    expect(normalisePhone('１３８')).toBe('138'); // full-width digits from a Chinese IME
    expect(normalisePhone('call me')).toBeNull();
    expect(normalisePhone(null)).toBeNull();
  });

  it('compares names folded: width, spaces, case', () => {
    expect(normaliseName('  ＡＣＭＥ   Bank ')).toBe('acme bank');
    expect(normaliseName('Beta 公司')).toBe(normaliseName('beta  公司'));
  });

  it('reads a query as a phone number only when it is one', () => {
    expect(isPhoneQuery('138')).toBe(true);
    expect(isPhoneQuery('+86 (21) 5555-0101')).toBe(true);
    expect(isPhoneQuery('13')).toBe(false);
    expect(isPhoneQuery('张伟 138')).toBe(false);
    expect(isPhoneQuery('Room 101')).toBe(false);
  });

  it('lets the desk write and everyone else read only', () => {
    expect(mayWriteCustomers(['agent'])).toBe(true);
    expect(mayWriteCustomers(['duty_manager'])).toBe(true);
    expect(mayWriteCustomers(['engineer'])).toBe(false);
    expect(mayWriteCustomers(['wallboard'])).toBe(false);
  });

  it('refuses a contact without a name, a bad e-mail or language tag', () => {
    expect(contactFieldsSchema.safeParse({ name: '  ' }).success).toBe(false);
    expect(contactFieldsSchema.safeParse({ name: 'A', email: 'nope' }).success).toBe(false);
    expect(contactFieldsSchema.safeParse({ name: 'A', preferredLanguage: 'zh_CN!' }).success).toBe(
      false,
    );
    expect(contactFieldsSchema.safeParse({ name: 'A', preferredLanguage: 'zh-CN' }).success).toBe(
      true,
    );
  });
});
