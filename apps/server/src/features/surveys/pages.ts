/**
 * The survey page (decision 53): `/survey` is the renderer's survey entry (`survey.html`). The
 * token is in the link's fragment, so this request never carries it; the page posts it.
 */
import { Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function createSurveyPages(staticDir: string): Router {
  const r = Router();
  const page = join(staticDir, 'survey.html');
  r.get(/.*/, (_req, res) => {
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
    if (existsSync(page)) {
      res.sendFile(page);
      return;
    }
    res.type('text/plain').send('The survey page is not built: run `pnpm build`, then reload.');
  });
  return r;
}
