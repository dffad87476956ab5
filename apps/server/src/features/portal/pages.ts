/**
 * The portal's pages (decision 52): `/portal/…` is the renderer's portal entry (`portal.html`,
 * the same stack as the console). A page opened with a signed link (`?t=`) is checked first:
 * a tampered, expired or revoked link gets its 401/403 as a page that says so, in the
 * contact's language when the link names one, else English and Chinese.
 */
import { Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../../context';
import { authenticatePortal, type PortalRefusal } from './access';

const PAGE_TEXT: Record<Exclude<PortalRefusal, 'missing'>, { en: string; zh: string }> = {
  invalid: {
    en: 'This link is not valid. Ask the desk for a new one.',
    zh: '此链接无效，请联系服务台获取新链接。',
  },
  expired: {
    en: 'This link has expired. Ask the desk for a new one.',
    zh: '此链接已过期，请联系服务台获取新链接。',
  },
  revoked: { en: 'This link was withdrawn by the desk.', zh: '此链接已被服务台撤销。' },
  disabled: {
    en: 'This account is disabled. Contact the desk.',
    zh: '此账户已停用，请联系服务台。',
  },
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page of a refused link: no script, no style from elsewhere, dark mode by the system. */
export function refusalPage(reason: Exclude<PortalRefusal, 'missing'>): string {
  const t = PAGE_TEXT[reason];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dutydesk</title>
<meta name="color-scheme" content="light dark">
</head><body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1 style="font-size: 1.25rem">Dutydesk</h1>
<p data-reason="${reason}">${escapeHtml(t.en)}</p>
<p lang="zh-CN">${escapeHtml(t.zh)}</p>
</body></html>`;
}

export function createPortalPages(ctx: AppContext, staticDir: string): Router {
  const r = Router();
  const page = join(staticDir, 'portal.html');
  r.get(/.*/, async (req, res) => {
    const token = typeof req.query.t === 'string' ? req.query.t : null;
    if (token !== null) {
      const caller = await authenticatePortal(ctx, token);
      if (typeof caller === 'string') {
        const reason = caller === 'missing' ? 'invalid' : caller;
        res
          .status(reason === 'revoked' || reason === 'disabled' ? 403 : 401)
          .set('Cache-Control', 'no-store')
          .type('html')
          .send(refusalPage(reason));
        return;
      }
    }
    res.set('Cache-Control', 'no-store');
    if (existsSync(page)) {
      res.sendFile(page);
      return;
    }
    res.type('text/plain').send('The customer portal is not built: run `pnpm build`, then reload.');
  });
  return r;
}
