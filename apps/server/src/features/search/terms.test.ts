import { describe, expect, it } from 'vitest';
import {
  anyTsquery,
  cutTerms,
  findMatches,
  makeSnippet,
  normalizeText,
  parseQuery,
  toTsvectorLiteral,
} from './terms';

const termsOf = (text: string): string[] => cutTerms(normalizeText(text)).map((t) => t.term);

describe('search terms', () => {
  it('cuts Chinese into overlapping bigrams and keeps words and numbers whole', () => {
    expect(termsOf('今晚数据库备份失败')).toEqual([
      '今晚',
      '晚数',
      '数据',
      '据库',
      '库备',
      '备份',
      '份失',
      '失败',
    ]);
    expect(termsOf('VPN 无法连接 error 809')).toEqual([
      'vpn',
      '无法',
      '法连',
      '连接',
      'error',
      '809',
    ]);
    expect(termsOf('网')).toEqual(['网']);
  });

  it('gives consecutive positions across scripts, so a mixed phrase lines up', () => {
    const terms = cutTerms(normalizeText('VPN无法连接'));
    expect(terms.map((t) => [t.term, t.position])).toEqual([
      ['vpn', 1],
      ['无法', 2],
      ['法连', 3],
      ['连接', 4],
    ]);
  });

  it('normalises full-width letters and digits and case', () => {
    expect(termsOf('ＶＰＮ　８０９ Error')).toEqual(['vpn', '809', 'error']);
  });

  it('adds the other spellings of numbers at the same position', () => {
    const terms = cutTerms(normalizeText('INC-2026-000123'));
    expect(terms.map((t) => t.term)).toEqual(['inc', '2026', '2026000123', '000123', '123']);
    expect(terms.map((t) => t.position)).toEqual([1, 2, 2, 3, 3]);
    expect(termsOf('电话 138-0013-8000')).toEqual(
      expect.arrayContaining(['138', '0013', '8000', '13800138000']),
    );
    expect(termsOf('+86 138 0013 8000')).toEqual(
      expect.arrayContaining(['8613800138000', '13800138000']),
    );
    // Short digit groups (a date, a version) are not joined.
    expect(termsOf('1.2')).toEqual(['1', '2']);
  });

  it('parses a query into parts, each a phrase, the last one a prefix while typing', () => {
    const q = parseQuery('VPN 无法连接 erro');
    expect(q.parts.map((p) => [p.terms, p.prefix])).toEqual([
      [['vpn'], false],
      [['无法', '法连', '连接'], false],
      [['erro'], true],
    ]);
    expect(parseQuery('数据库备份 ').parts[0]?.prefix).toBe(false);
    expect(parseQuery('数据库备份').parts[0]?.prefix).toBe(false);
    expect(parseQuery('网').parts[0]?.prefix).toBe(true);
    expect(parseQuery('vpn e').parts[1]?.prefix).toBe(false);
    expect(parseQuery('!!! ???').parts).toEqual([]);
  });

  it('writes tsvector and tsquery literals with quoted lexemes', () => {
    expect(toTsvectorLiteral("O'Neil o'neil")).toBe("'o':1,3 'neil':2,4");
    expect(anyTsquery(parseQuery('数据库备份 vpn'))).toBe(
      "( '数据' <-> '据库' <-> '库备' <-> '备份' ) | 'vpn':*",
    );
    expect(anyTsquery(parseQuery('138-0013-8000 '))).toBe(
      "( ( '138' <-> '0013' <-> '8000' ) | '13800138000' )",
    );
    expect(anyTsquery(parseQuery("a\\'b "))).toBe("( 'a' <-> 'b' )");
  });

  it('finds where the query occurs and cuts a snippet around it, in the text as written', () => {
    const q = parseQuery('数据库备份');
    expect(findMatches(normalizeText('今晚数据库备份失败'), q)).toEqual([{ start: 2, end: 7 }]);
    const long = `${'前'.repeat(200)}今晚数据库备份失败${'后'.repeat(200)}`;
    const s = makeSnippet(long, q, 60);
    expect(s.text.startsWith('…')).toBe(true);
    expect(s.text.endsWith('…')).toBe(true);
    const h = s.highlights[0];
    expect(h && s.text.slice(h.start, h.end)).toBe('数据库备份');
    const mixed = makeSnippet('Cannot reach VPN: Error 809 again', parseQuery('error 809'));
    expect(mixed.highlights.map((x) => mixed.text.slice(x.start, x.end))).toEqual(['Error', '809']);
    const typing = makeSnippet('Printer offline', parseQuery('print'));
    expect(typing.highlights.map((x) => typing.text.slice(x.start, x.end))).toEqual(['Print']);
  });
});
