import express, { Router, type RequestHandler } from 'express';
import { notFoundHandler } from '../../http/errors';

/**
 * `/updates/*`: the desktop app's update feed (electron-updater's `generic` provider). It
 * serves a folder of electron-builder output read-only — `latest.yml`, `latest-mac.yml`,
 * `latest-linux.yml`, the installers and their blockmaps — from `DUTYDESK_UPDATES_DIR`.
 * Without the folder every path answers 404 (so the console's client-side routes never
 * answer an updater with index.html).
 */
export function createUpdatesRouter(updatesDir: string | undefined): Router {
  const r = Router();
  if (!updatesDir) {
    r.use(notFoundHandler);
    return r;
  }
  r.use(refuseTraversal);
  r.use(
    express.static(updatesDir, {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      fallthrough: true,
      setHeaders(res, path) {
        // The update manifests change in place at every release; installers carry the version
        // in their names.
        res.setHeader(
          'Cache-Control',
          /\.ya?ml$/i.test(path) ? 'no-cache' : 'public, max-age=3600',
        );
      },
    }),
  );
  r.use(notFoundHandler);
  return r;
}

/**
 * Only GET/HEAD of plain file names below the folder: a `..` segment, a backslash or a NUL
 * in the decoded path is refused before the file system is asked (`send` refuses `..` too;
 * this makes the answer a plain 404 and keeps the rule visible).
 */
const refuseTraversal: RequestHandler = (req, res, next) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    notFoundHandler(req, res, next);
    return;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(req.path);
  } catch {
    notFoundHandler(req, res, next);
    return;
  }
  if (/[\\\0]/.test(decoded) || decoded.split('/').some((segment) => segment === '..')) {
    notFoundHandler(req, res, next);
    return;
  }
  next();
};
