// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_URL, resolveServerOrigin, wantsWallboard } from './config';

describe('config', () => {
  it.each([
    [undefined, DEFAULT_SERVER_URL],
    ['', DEFAULT_SERVER_URL],
    ['https://desk.example.com/some/path', 'https://desk.example.com'],
    ['http://10.0.0.5:8080', 'http://10.0.0.5:8080'],
    ['file:///tmp/index.html', DEFAULT_SERVER_URL],
    ['nonsense', DEFAULT_SERVER_URL],
  ])('DUTYDESK_URL=%s → %s', (value, origin) => {
    expect(resolveServerOrigin({ DUTYDESK_URL: value })).toBe(origin);
  });

  it('reads --wallboard', () => {
    expect(wantsWallboard(['electron', '.', '--wallboard'])).toBe(true);
    expect(wantsWallboard(['electron', '.'])).toBe(false);
  });
});
