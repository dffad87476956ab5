import type { Page } from 'playwright-core';
import { en } from '../../../apps/desktop/src/renderer/i18n/en';
import { ja } from '../../../apps/desktop/src/renderer/i18n/ja';
import { ko } from '../../../apps/desktop/src/renderer/i18n/ko';
import { zhCN } from '../../../apps/desktop/src/renderer/i18n/zhCN';

/** The languages a screen is checked in. */
export type ScreenLocale = 'zh-CN' | 'en' | 'ja' | 'ko';

const TRANSLATED: Record<Exclude<ScreenLocale, 'en'>, Record<keyof typeof en, string>> = {
  'zh-CN': zhCN,
  ja,
  ko,
};

/**
 * English texts that a translated (Chinese, Japanese, Korean) screen must not show: every
 * catalogue entry whose text in that language differs, as a pattern (`{name}` matches
 * anything). Entries that are only placeholders, or have no English word of three letters
 * outside them, are left out: they cannot be told from data.
 */
function listEnglishOnlyPatterns(translated: Record<keyof typeof en, string>): string[] {
  const out: string[] = [];
  for (const key of Object.keys(en) as Array<keyof typeof en>) {
    const english = en[key];
    if (english === translated[key]) continue;
    const literal = english.replace(/\{\w+\}/g, ' ');
    if (!/[A-Za-z]{3,}/.test(literal)) continue;
    const escaped = english
      .split(/\{\w+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+');
    out.push(`^${escaped}$`);
  }
  return out;
}

const ENGLISH_ONLY: Record<Exclude<ScreenLocale, 'en'>, string[]> = {
  'zh-CN': listEnglishOnlyPatterns(TRANSLATED['zh-CN']),
  ja: listEnglishOnlyPatterns(TRANSLATED.ja),
  ko: listEnglishOnlyPatterns(TRANSLATED.ko),
};

/**
 * What looks broken on the screen as shown: the page scrolling sideways; text cut off by
 * the window's right edge or by its own box without an ellipsis; a short label (8
 * characters or fewer) broken over several lines; text cut with an ellipsis where the
 * whole text matters (countdowns, buttons, labels); and, on a Chinese, Japanese or Korean
 * screen, English UI text from the catalogue (visible text, placeholders, labels and titles).
 */
export async function findScreenProblems(page: Page, locale: ScreenLocale): Promise<string[]> {
  return page.evaluate(
    ({ patterns, chinese }) => {
      const problems: string[] = [];
      const vw = window.innerWidth;
      const root = document.documentElement;
      if (root.scrollWidth > vw + 1) problems.push(`page scrolls sideways (${root.scrollWidth}px)`);
      const english = patterns.map((p) => new RegExp(p));
      const visible = (el: Element): boolean => {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) return false;
        const style = getComputedStyle(el);
        return style.visibility !== 'hidden' && style.display !== 'none';
      };
      /** Cells that show a shortened title on purpose (the whole title is in `title`). */
      const mayEllipsis = (el: Element): boolean =>
        el.closest('[title]') !== null && el.closest('button, label, .countdown') === null;
      const describe = (el: Element): string => {
        const cls =
          typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : '';
        return `${el.tagName.toLowerCase()}${cls} "${(el.textContent ?? '').trim().slice(0, 60)}"`;
      };
      /** The nearest ancestor that clips its content sideways, if any. */
      const clipper = (el: Element): Element | null => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          const x = getComputedStyle(a).overflowX;
          if (x === 'hidden' || x === 'clip' || x === 'auto' || x === 'scroll') return a;
        }
        return null;
      };
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = (node.textContent ?? '').trim();
        const el = node.parentElement;
        if (!text || !el || !visible(el)) continue;
        if (el.closest('script, style, option, [aria-hidden="true"], .visually-hidden')) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
        const right = Math.max(...rects.map((r) => r.right));
        if (right > vw + 1 && rects.some((r) => r.left < vw)) {
          problems.push(`cut by the window: ${describe(el)}`);
        }
        const style = getComputedStyle(el);
        if (el.scrollWidth > el.clientWidth + 1 && style.overflowX !== 'visible') {
          if (style.textOverflow !== 'ellipsis') problems.push(`cut off: ${describe(el)}`);
          else if (!mayEllipsis(el)) problems.push(`shortened: ${describe(el)}`);
        } else {
          const box = clipper(el)?.getBoundingClientRect();
          if (box && right > box.right + 1 && rects.some((r) => r.left < box.right)) {
            problems.push(`cut off by its container: ${describe(el)}`);
          }
        }
        if (text.length <= 8) {
          const tops = new Set(rects.map((r) => Math.round(r.top)));
          if (tops.size > 1) {
            problems.push(`short text broken over ${tops.size} lines: ${describe(el)}`);
          }
        }
        if (chinese && english.some((re) => re.test(text))) {
          problems.push(`English on a translated screen: ${describe(el)}`);
        }
      }
      if (chinese) {
        for (const el of Array.from(
          document.querySelectorAll('[placeholder], [aria-label], [title]'),
        )) {
          for (const attr of ['placeholder', 'aria-label', 'title']) {
            const value = el.getAttribute(attr)?.trim();
            if (value && english.some((re) => re.test(value))) {
              problems.push(`English ${attr} on a translated screen: "${value}"`);
            }
          }
        }
        for (const el of Array.from(document.querySelectorAll('option'))) {
          const value = el.textContent?.trim();
          if (value && english.some((re) => re.test(value))) {
            problems.push(`English option on a translated screen: "${value}"`);
          }
        }
      }
      return [...new Set(problems)];
    },
    { patterns: locale === 'en' ? [] : ENGLISH_ONLY[locale], chinese: locale !== 'en' },
  );
}
