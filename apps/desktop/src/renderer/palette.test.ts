import { describe, expect, it } from 'vitest';
import wallboardCss from './features/wallboard/wallboard.css?raw';
import css from './styles.css?raw';

/**
 * The console's palette against WCAG 2.x AA, read from the CSS variables themselves (styles.css
 * `:root`, each `light-dark(light, dark)`; the wallboard's own dark `--wb-*` set): 4.5:1 for body
 * text, 3:1 for large text and UI parts (status dots, focus rings, the selected row's mark).
 */

/** The declarations of the first `selector { … }` block. */
function readBlock(source: string, selector: string): string {
  const start = source.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no ${selector} block`);
  return source.slice(start, source.indexOf('}', start));
}

/** `--name: value;` pairs of a block. */
function readVariables(block: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of block.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g))
    out.set(m[1] ?? '', m[2]?.trim() ?? '');
  return out;
}

/** Splits `light-dark(a, b)` into its two sides (the commas of nested functions kept). */
function splitLightDark(value: string): [string, string] {
  const m = /^light-dark\((.*)\)$/.exec(value);
  if (!m?.[1]) return [value, value];
  let depth = 0;
  const inner = m[1];
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === ',' && depth === 0) return [inner.slice(0, i).trim(), inner.slice(i + 1).trim()];
  }
  throw new Error(`bad light-dark: ${value}`);
}

type Rgb = [number, number, number];

function parseHex(value: string): Rgb {
  const m = /^#([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(value);
  if (!m?.[1]) throw new Error(`not an opaque hex colour: ${value}`);
  const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
}

/** WCAG relative luminance. */
function luminance([r, g, b]: Rgb): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio of two opaque colours. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(parseHex(a)), luminance(parseHex(b))].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

const vars = readVariables(readBlock(css, ':root'));
const themes = { light: 0, dark: 1 } as const;

function colour(name: string, theme: keyof typeof themes): string {
  const value = vars.get(name);
  if (!value) throw new Error(`no ${name} in styles.css :root`);
  return splitLightDark(value)[themes[theme]];
}

/** Text on background, 4.5:1: everything the console writes in small type. */
const BODY_TEXT: Array<[string, string]> = [
  ['--text', '--bg'],
  ['--text', '--surface'],
  ['--text', '--surface-muted'],
  ['--text', '--selected'],
  ['--text', '--p3-bg'],
  ['--text', '--warning-bg'],
  ['--text', '--critical-bg'],
  ['--text', '--load-low'],
  ['--text', '--load-medium'],
  ['--text', '--load-high'],
  ['--text-muted', '--bg'],
  ['--text-muted', '--surface'],
  ['--text-muted', '--surface-muted'],
  ['--accent', '--surface'],
  ['--accent', '--bg'],
  ['--accent', '--p3-bg'],
  ['--on-accent', '--accent'],
  ['--on-accent', '--accent-hover'],
  ['--p1', '--p1-bg'],
  ['--p2', '--p2-bg'],
  ['--p3', '--p3-bg'],
  ['--warning', '--warning-bg'],
  ['--warning', '--surface'],
  ['--critical', '--critical-bg'],
  ['--critical', '--surface'],
  ['--ok', '--surface'],
];

/** UI parts and large text, 3:1. */
const UI_PARTS: Array<[string, string]> = [
  ['--focus', '--surface'],
  ['--focus', '--bg'],
  ['--accent', '--selected'],
  ['--ok', '--surface-muted'],
  ['--warning', '--surface-muted'],
  ['--critical', '--surface-muted'],
  ['--p3', '--surface'],
  ['--chart-1', '--surface'],
  ['--chart-2', '--surface'],
  ['--chart-3', '--surface'],
  ['--chart-4', '--surface'],
  ['--chart-5', '--surface'],
];

describe.each(Object.keys(themes) as Array<keyof typeof themes>)('the %s palette', (theme) => {
  it.each(BODY_TEXT)('body text %s on %s is at least 4.5:1', (fg, bg) => {
    const ratio = contrastRatio(colour(fg, theme), colour(bg, theme));
    expect(ratio, `${fg} on ${bg}: ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(4.5);
  });
  it.each(UI_PARTS)('UI part %s on %s is at least 3:1', (fg, bg) => {
    const ratio = contrastRatio(colour(fg, theme), colour(bg, theme));
    expect(ratio, `${fg} on ${bg}: ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(3);
  });
});

describe('the palette', () => {
  it('gives every colour a light and a dark side, and the page both schemes', () => {
    for (const [name, value] of vars) {
      if (name === '--row-height') continue;
      expect(value, name).toMatch(/^light-dark\(/);
    }
    expect(readBlock(css, ':root')).toMatch(/color-scheme:\s*light dark/);
    expect(css).toMatch(/:root\[data-theme='dark'\]\s*\{\s*color-scheme:\s*dark/);
    // Print is light whatever the screen shows.
    expect(css).toMatch(
      /@media print\s*\{[^}]*:root\[data-theme='dark'\]\s*\{\s*color-scheme:\s*light/,
    );
  });

  it('keeps the wallboard readable at 10 m (its own dark set)', () => {
    const wb = readVariables(wallboardCss);
    const get = (n: string): string => {
      const v = wb.get(n);
      if (!v) throw new Error(`no ${n} in wallboard.css`);
      return v;
    };
    const pairs: Array<[string, string, number]> = [
      ['--wb-text', '--wb-bg', 4.5],
      ['--wb-text', '--wb-panel', 4.5],
      ['--wb-muted', '--wb-panel', 4.5],
      ['--wb-bad', '--wb-bad-bg', 4.5],
      ['--wb-warn', '--wb-warn-bg', 4.5],
      ['--wb-good', '--wb-panel', 4.5],
    ];
    for (const [fg, bg, min] of pairs) {
      const ratio = contrastRatio(get(fg), get(bg));
      expect(ratio, `${fg} on ${bg}: ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(min);
    }
  });

  it('computes WCAG ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});
