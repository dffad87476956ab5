// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { APP_USER_MODEL_ID, applyAppUserModelId } from './platform';

describe('AppUserModelId', () => {
  it('is set on Windows only', () => {
    for (const platform of ['darwin', 'linux'] as const) {
      const app = { setAppUserModelId: vi.fn() };
      expect(applyAppUserModelId(app, platform)).toBe(false);
      expect(app.setAppUserModelId).not.toHaveBeenCalled();
    }
    const app = { setAppUserModelId: vi.fn() };
    expect(applyAppUserModelId(app, 'win32')).toBe(true);
    expect(app.setAppUserModelId).toHaveBeenCalledWith('com.dutydesk.console');
  });

  it("is the installer's appId, or Windows drops the toasts", () => {
    const yml = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8');
    expect(yml).toMatch(new RegExp(`^appId: ${APP_USER_MODEL_ID.replace(/\./g, '\\.')}$`, 'm'));
  });
});
