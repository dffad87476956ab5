import { describe, expect, it } from 'vitest';
import { computeRetainUntil, isRetentionOver } from './retention';
import { resolveContentType, sniffContentType } from './sniff';

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  new Uint8Array(
    parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)),
  );

describe('sniffContentType', () => {
  it.each([
    ['png', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR'), 'image/png'],
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg'],
    ['gif', bytes('GIF89a'), 'image/gif'],
    ['webp', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), 'image/webp'],
    ['wav', bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '), 'audio/wav'],
    ['pdf', bytes('%PDF-1.7\n'), 'application/pdf'],
    ['docx (zip)', bytes([0x50, 0x4b, 0x03, 0x04]), 'application/zip'],
    ['m4a', bytes([0, 0, 0, 0x20], 'ftypM4A '), 'audio/mp4'],
    ['mp4', bytes([0, 0, 0, 0x20], 'ftypisom'), 'video/mp4'],
    ['mp3 with ID3', bytes('ID3', [4, 0]), 'audio/mpeg'],
    ['mp3 frame', bytes([0xff, 0xfb, 0x90]), 'audio/mpeg'],
    ['a log in UTF-8', bytes('02:00 backup failed\n'), 'text/plain'],
    ['a Windows exe', bytes('MZ', [0x90, 0]), 'application/x-msdownload'],
    ['an ELF binary', bytes([0x7f], 'ELF'), 'application/x-executable'],
    ['a shell script', bytes('#!/bin/sh\nrm -rf /'), 'application/x-sh'],
    ['an HTML page', bytes('  <!DOCTYPE html><p>hi'), 'text/html'],
    ['a script', bytes('<script>alert(1)</script>'), 'text/html'],
    ['an SVG', bytes('<?xml version="1.0"?>\n<svg xmlns="x">'), 'image/svg+xml'],
    ['binary junk', bytes([1, 2, 3, 0, 4]), null],
  ])('%s', (_name, head, want) => {
    expect(sniffContentType(head)).toBe(want);
  });

  it('reads Chinese text (UTF-8 and GB18030 bytes alike) as text', () => {
    expect(sniffContentType(new TextEncoder().encode('今晚数据库备份失败'))).toBe('text/plain');
    expect(sniffContentType(new Uint8Array([0xbd, 0xf1, 0xcd, 0xed, 0x0a]))).toBe('text/plain');
  });
});

describe('resolveContentType', () => {
  it('keeps a more precise declared name for the same bytes', () => {
    expect(resolveContentType('text/csv; charset=utf-8', 'text/plain')).toEqual({
      ok: true,
      contentType: 'text/csv',
    });
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect(resolveContentType(docx, 'application/zip')).toEqual({ ok: true, contentType: docx });
  });

  it('stores what the bytes are, not what was declared', () => {
    expect(resolveContentType('image/png', 'image/jpeg')).toEqual({
      ok: true,
      contentType: 'image/jpeg',
    });
    expect(resolveContentType('text/html', 'text/plain')).toEqual({
      ok: true,
      contentType: 'text/plain',
    });
  });

  it('refuses forbidden and unknown content whatever was declared', () => {
    const exe = resolveContentType('image/png', 'application/x-msdownload');
    expect(exe.ok).toBe(false);
    expect(!exe.ok && exe.message).toMatch(
      /application\/x-msdownload.*not the declared image\/png/,
    );
    expect(resolveContentType('application/pdf', null).ok).toBe(false);
    expect(resolveContentType('text/plain', 'text/html').ok).toBe(false);
  });
});

describe('retention (fake clock)', () => {
  const closed = { status: 'closed', closedAt: '2026-03-02T02:00:00.000Z' };

  it('keeps a closed ticket’s files 5 calendar years, to the millisecond', () => {
    expect(computeRetainUntil(closed.closedAt, 5)?.toISOString()).toBe('2031-03-02T02:00:00.000Z');
    expect(isRetentionOver(closed, new Date('2031-03-02T02:00:00.000Z'), 5)).toBe(false);
    expect(isRetentionOver(closed, new Date('2031-03-02T02:00:00.001Z'), 5)).toBe(true);
    expect(isRetentionOver(closed, new Date('2030-12-31T00:00:00Z'), 5)).toBe(false);
  });

  it('never expires an open or reopened ticket, however old', () => {
    const now = new Date('2099-01-01T00:00:00Z');
    expect(isRetentionOver({ status: 'in_progress', closedAt: null }, now, 5)).toBe(false);
    expect(isRetentionOver({ status: 'reopened', closedAt: null }, now, 5)).toBe(false);
  });

  it('rolls 29 February to 1 March and honours another period', () => {
    expect(computeRetainUntil('2028-02-29T12:00:00.000Z', 5)?.toISOString()).toBe(
      '2033-03-01T12:00:00.000Z',
    );
    expect(computeRetainUntil(closed.closedAt, 10)?.toISOString()).toBe('2036-03-02T02:00:00.000Z');
    expect(computeRetainUntil(null, 5)).toBeNull();
  });
});
