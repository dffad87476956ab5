import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ASSETS = fileURLToPath(new URL('../../apps/desktop/dist/renderer/assets', import.meta.url));

/**
 * Words that survive ical.js's minification (property names and its own string literals) and
 * that nothing of the console says: if any is in the bundle, ical.js is in it.
 */
const ICAL_MARKERS = ['icaltype', 'tzoffsetfrom', '_rangeExceptionCache', 'RecurExpansion'];

describe('the console bundle', () => {
  it('does not contain ical.js (iCalendar is parsed on the server)', () => {
    expect(
      existsSync(ASSETS),
      'build the renderer first: npx vite build --config apps/desktop/vite.config.ts',
    ).toBe(true);
    const scripts = readdirSync(ASSETS).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    // The markers are really in ical.js's shipped build, so their absence means something.
    const require = createRequire(
      fileURLToPath(new URL('../../apps/server/package.json', import.meta.url)),
    );
    const icalDist = dirname(require.resolve('ical.js'));
    const ical = readFileSync(join(icalDist, 'ical.min.js'), 'utf8');
    for (const marker of ICAL_MARKERS) expect(ical, marker).toContain(marker);
    for (const file of scripts) {
      const text = readFileSync(join(ASSETS, file), 'utf8');
      for (const marker of ICAL_MARKERS)
        expect(text.includes(marker), `${file}: ${marker}`).toBe(false);
    }
  });
});
