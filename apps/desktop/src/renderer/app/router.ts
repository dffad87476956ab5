import { useSyncExternalStore } from 'react';

const NAVIGATE_EVENT = 'dutydesk:navigate';

export type Route =
  | { name: 'login' }
  | { name: 'queue' }
  | { name: 'ticket'; ticketId: string }
  | { name: 'wallboard' }
  | { name: 'duty' }
  | { name: 'roster' }
  | { name: 'kb'; articleId: string | null }
  | { name: 'reports'; report: string | null }
  | { name: 'serviceReport'; reportId: string }
  | { name: 'problems'; problemId: string | null }
  | { name: 'admin'; section: string }
  | { name: 'organisation'; organisationId: string }
  | { name: 'notFound' };

/** Maps a pathname to a view; the session decides between login and the console. */
export function matchRoute(pathname: string, signedIn: boolean): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/wallboard') return { name: 'wallboard' };
  if (!signedIn) return { name: 'login' };
  if (path === '/' || path === '/login' || path === '/queue') return { name: 'queue' };
  if (path === '/duty') return { name: 'duty' };
  if (path === '/roster') return { name: 'roster' };
  const kb = /^\/kb(?:\/([^/]+))?$/.exec(path);
  if (kb) return { name: 'kb', articleId: kb[1] ? decodeURIComponent(kb[1]) : null };
  const serviceReport = /^\/reports\/service\/([^/]+)$/.exec(path);
  if (serviceReport?.[1])
    return { name: 'serviceReport', reportId: decodeURIComponent(serviceReport[1]) };
  const reports = /^\/reports(?:\/([^/]+))?$/.exec(path);
  if (reports)
    return { name: 'reports', report: reports[1] ? decodeURIComponent(reports[1]) : null };
  const problems = /^\/problems(?:\/([^/]+))?$/.exec(path);
  if (problems)
    return { name: 'problems', problemId: problems[1] ? decodeURIComponent(problems[1]) : null };
  const admin = /^\/admin(?:\/([^/]+))?$/.exec(path);
  if (admin) return { name: 'admin', section: decodeURIComponent(admin[1] ?? 'users') };
  const organisation = /^\/organisations\/([^/]+)$/.exec(path);
  if (organisation?.[1])
    return { name: 'organisation', organisationId: decodeURIComponent(organisation[1]) };
  const ticket = /^\/tickets\/([^/]+)$/.exec(path);
  if (ticket?.[1]) return { name: 'ticket', ticketId: decodeURIComponent(ticket[1]) };
  return { name: 'notFound' };
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}
