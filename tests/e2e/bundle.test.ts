import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../../apps/desktop/dist/renderer', import.meta.url));
const ASSETS = join(DIST, 'assets');

/** The first paint's budget: the entry and every chunk index.html preloads beside it, gzipped. */
const MAIN_GZIP_BUDGET = 250_000;
/** Vite warns about a chunk above 500 kB (minified, before gzip); the build prints no warning. */
const CHUNK_WARNING_LIMIT = 500 * 1000;
/** Renderer sources that must stay out of the first paint: each is fetched when used. */
const LAZY_SOURCES = [
  'features/wallboard/WallboardView.tsx',
  'features/wallboard/WallboardBoard.tsx',
  'features/duty/DutyBoard.tsx',
  'features/ticket/TicketWorkspace.tsx',
  'features/ticket/Timeline.tsx',
  'features/ticket/ActionForms.tsx',
  'features/ticket/CreateTicketDialog.tsx',
  'features/keyboard/CommandPalette.tsx',
  'features/keyboard/HelpOverlay.tsx',
  'features/admin/AdminScreen.tsx',
  'features/admin/UsersPanel.tsx',
];

/** The scripts index.html loads up front: the entry module and its modulepreloads. */
function initialScripts(): string[] {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const urls = [
    ...html.matchAll(/<script type="module"[^>]*\ssrc="([^"]+)"/g),
    ...html.matchAll(/<link rel="modulepreload"[^>]*\shref="([^"]+)"/g),
  ].map((m) => m[1] ?? '');
  // Absolute (base '/'): the chunks load the same from /wallboard and /tickets/:id.
  for (const url of urls) expect(url, url).toMatch(/^\/assets\/[\w-]+\.js$/);
  return urls.map((url) => url.slice('/assets/'.length));
}

/** The renderer sources a chunk was built from, read from its source map. */
function sourcesOf(file: string): string[] {
  const map = JSON.parse(readFileSync(join(ASSETS, `${file}.map`), 'utf8')) as {
    sources: string[];
  };
  return map.sources
    .filter((s) => s.includes('/src/renderer/'))
    .map((s) => s.slice(s.indexOf('/src/renderer/') + '/src/renderer/'.length));
}

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

  it('keeps the first paint under 250 kB gzipped and every chunk under the 500 kB warning', () => {
    expect(existsSync(join(DIST, 'index.html')), 'build the renderer first').toBe(true);
    const initial = initialScripts();
    expect(initial[0], 'the entry').toMatch(/^index-/);
    let gzipped = 0;
    for (const file of initial) gzipped += gzipSync(readFileSync(join(ASSETS, file))).length;
    expect(gzipped).toBeLessThan(MAIN_GZIP_BUDGET);
    for (const file of readdirSync(ASSETS).filter((f) => f.endsWith('.js'))) {
      expect(readFileSync(join(ASSETS, file)).length, file).toBeLessThan(CHUNK_WARNING_LIMIT);
    }
  });

  it('fetches the wallboard, the duty board, the workspace and the overlays only when used', () => {
    const initial = initialScripts();
    const eager = new Set(initial.flatMap(sourcesOf));
    // The queue's path is in the first paint, so its absence below is not an empty map.
    expect(eager.has('features/queue/QueueView.tsx')).toBe(true);
    const lazy = new Set(
      readdirSync(ASSETS)
        .filter((f) => f.endsWith('.js') && !initial.includes(f))
        .flatMap(sourcesOf),
    );
    for (const source of LAZY_SOURCES) {
      expect(eager.has(source), `${source} in the first paint`).toBe(false);
      expect(lazy.has(source), `${source} in a chunk of its own`).toBe(true);
    }
    // The wallboard's styles come with it, not with the console's.
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    for (const [, href] of html.matchAll(/<link rel="stylesheet"[^>]*\shref="([^"]+)"/g)) {
      const css = readFileSync(join(DIST, href ?? ''), 'utf8');
      expect(css.includes('.wb-board'), `${href} holds the wallboard's styles`).toBe(false);
    }
  });
});
