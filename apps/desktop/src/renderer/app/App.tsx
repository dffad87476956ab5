import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { AlertPrompt } from '../features/alerts/AlertPrompt';
import { HandoffToasts } from '../features/handoff/HandoffToasts';
import { playAlertBeep } from '../features/alerts/sound';
import { ConnectionIndicator } from '../features/connection/ConnectionIndicator';
import { loadDeskCalendars } from '../clock/calendars';
import { OfflineBanner } from '../features/connection/OfflineBanner';
import { UpdateRequiredBanner } from '../features/connection/UpdateRequired';
import {
  isEditableTarget,
  usePaletteActions,
  usePaletteRegistry,
} from '../features/keyboard/paletteRegistry';
import type { PaletteAction } from '../features/keyboard/paletteRegistry';
import { LoginView } from '../features/login/LoginView';
import { QueueView } from '../features/queue/QueueView';
import { focusSearchBox } from '../features/search/focus';
import { SearchBox } from '../features/search/SearchBox';
import { Locale, LOCALES, useLocale, useT } from '../i18n/i18n';
import { StoreContext, useAppStore } from '../store/StoreContext';
import { UserMenu } from '../ui/UserMenu';
import { lazyScreen, ScreenSuspense } from './lazyScreen';
import { matchRoute, navigate, usePathname } from './router';
import { ServicesContext, useServices } from './services';
import type { AppServices } from './services';

export function App({ services }: { services: AppServices }) {
  return (
    <StoreContext.Provider value={services.store}>
      <ServicesContext.Provider value={services}>
        <Routes />
      </ServicesContext.Provider>
    </StoreContext.Provider>
  );
}

const MANAGER_ROLES = ['duty_manager', 'admin'];
/** Roles that see the admin area (`/admin/...`); its sections narrow it further. */
const ADMIN_AREA_ROLES = ['admin', 'duty_manager'];

// The queue (and the login) are in the main chunk: they are the first paint. Every other
// screen and the overlays are chunks of their own, fetched when first shown; the console's
// are preloaded once the queue is idle (so opening a ticket does not wait, even offline),
// the wallboard's never (decision 30).
const WallboardView = lazyScreen(() =>
  import('../features/wallboard/WallboardView').then((m) => m.WallboardView),
);
const AdminScreen = lazyScreen(() =>
  import('../features/admin/AdminScreen').then((m) => m.AdminScreen),
);
const KnowledgeScreen = lazyScreen(() =>
  import('../features/kb/KnowledgeScreen').then((m) => m.KnowledgeScreen),
);
const ReportsScreen = lazyScreen(() =>
  import('../features/reports/ReportsScreen').then((m) => m.ReportsScreen),
);
const ServiceReportPage = lazyScreen(() =>
  import('../features/reports/ServiceReportPage').then((m) => m.ServiceReportPage),
);
const ProblemsScreen = lazyScreen(() =>
  import('../features/problems/ProblemsScreen').then((m) => m.ProblemsScreen),
);
const RosterScreen = lazyScreen(() =>
  import('../features/roster/RosterScreen').then((m) => m.RosterScreen),
);
const DutyBoard = lazyScreen(() => import('../features/duty/DutyBoard').then((m) => m.DutyBoard));
const TicketWorkspace = lazyScreen(() =>
  import('../features/ticket/TicketWorkspace').then((m) => m.TicketWorkspace),
);
const OrganisationPage = lazyScreen(() =>
  import('../features/customers/OrganisationPage').then((m) => m.OrganisationPage),
);
const CommandPalette = lazyScreen(() =>
  import('../features/keyboard/CommandPalette').then((m) => m.CommandPalette),
);
const HelpOverlay = lazyScreen(() =>
  import('../features/keyboard/HelpOverlay').then((m) => m.HelpOverlay),
);
const CreateTicketDialog = lazyScreen(() =>
  import('../features/ticket/CreateTicketDialog').then((m) => m.CreateTicketDialog),
);

/** Fetches the console's other chunks when the page is idle; failures wait for their use. */
function preloadConsoleScreens(isManager: boolean): () => void {
  const run = (): void => {
    const screens = [
      TicketWorkspace,
      CreateTicketDialog,
      OrganisationPage,
      CommandPalette,
      HelpOverlay,
    ];
    if (isManager) screens.push(DutyBoard);
    for (const screen of screens) screen.preload().catch(() => undefined);
  };
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(run, { timeout: 10_000 });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = window.setTimeout(run, 2_000);
  return () => window.clearTimeout(handle);
}

function Routes() {
  const pathname = usePathname();
  const signedIn = useAppStore((state) => state.session !== null);
  const isManager = useAppStore(
    (state) => state.session?.user.roles.some((r) => MANAGER_ROLES.includes(r)) ?? false,
  );
  const route = matchRoute(pathname, signedIn);
  if (route.name === 'wallboard') {
    return (
      <ScreenSuspense>
        <WallboardView />
      </ScreenSuspense>
    );
  }
  if (route.name === 'login') return <LoginView />;
  const openTicket = (id: string): void => navigate(`/tickets/${encodeURIComponent(id)}`);
  return (
    <ConsoleLayout>
      {route.name === 'notFound' ||
      ((route.name === 'duty' ||
        route.name === 'admin' ||
        route.name === 'roster' ||
        route.name === 'reports' ||
        route.name === 'serviceReport') &&
        !isManager) ? (
        <NotFound />
      ) : route.name === 'admin' ? (
        <ScreenSuspense key="admin">
          <AdminScreen section={route.section} />
        </ScreenSuspense>
      ) : route.name === 'kb' ? (
        <ScreenSuspense key="kb">
          <KnowledgeScreen articleId={route.articleId} />
        </ScreenSuspense>
      ) : route.name === 'reports' ? (
        <ScreenSuspense key="reports">
          <ReportsScreen name={route.report} />
        </ScreenSuspense>
      ) : route.name === 'serviceReport' ? (
        <ScreenSuspense key={`serviceReport:${route.reportId}`}>
          <ServiceReportPage id={route.reportId} />
        </ScreenSuspense>
      ) : route.name === 'problems' ? (
        <ScreenSuspense key="problems">
          <ProblemsScreen problemId={route.problemId} />
        </ScreenSuspense>
      ) : route.name === 'roster' ? (
        <ScreenSuspense key="roster">
          <RosterScreen />
        </ScreenSuspense>
      ) : route.name === 'duty' ? (
        <ScreenSuspense key="duty">
          <DutyBoard />
        </ScreenSuspense>
      ) : route.name === 'organisation' ? (
        <ScreenSuspense key={`organisation:${route.organisationId}`}>
          <OrganisationPage organisationId={route.organisationId} />
        </ScreenSuspense>
      ) : route.name === 'ticket' ? (
        <ScreenSuspense key={`ticket:${route.ticketId}`}>
          <TicketWorkspace ticketId={route.ticketId} />
        </ScreenSuspense>
      ) : (
        <QueueView onOpen={openTicket} />
      )}
    </ConsoleLayout>
  );
}

const Overlay = { none: 'none', palette: 'palette', help: 'help', create: 'create' } as const;
type Overlay = (typeof Overlay)[keyof typeof Overlay];

function ConsoleLayout({ children }: { children: ReactNode }) {
  const t = useT();
  const [locale, setLocale] = useLocale();
  const { api, host, store } = useServices();
  const user = useAppStore((state) => state.session?.user ?? null);
  const token = useAppStore((state) => state.session?.token ?? null);
  const isManager = user?.roles.some((r) => MANAGER_ROLES.includes(r)) ?? false;
  const isAdminArea = user?.roles.some((r) => ADMIN_AREA_ROLES.includes(r)) ?? false;
  const [overlay, setOverlay] = useState<Overlay>(Overlay.none);
  const close = useCallback(() => setOverlay(Overlay.none), []);
  const pendingG = useRef(false);

  useEffect(
    () => host.onOpenTicket((id) => navigate(`/tickets/${encodeURIComponent(id)}`)),
    [host],
  );

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    const roles = store.getState().session?.user.roles;
    void Promise.all([api.listGroups(token), api.listUsers(token, roles)]).then(
      ([groups, users]) => {
        if (!cancelled) store.getState().setDirectory({ groups, users });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, store, token]);

  useEffect(() => preloadConsoleScreens(isManager), [isManager]);

  useEffect(() => {
    if (token) void loadDeskCalendars(token, store.getState().session?.user.roles ?? []);
  }, [store, token]);

  const signOut = useCallback((): void => {
    const current = store.getState().session?.token;
    store.getState().signOut();
    if (current) void api.logout(current);
    navigate('/login', { replace: true });
  }, [api, store]);

  const globalActions = useMemo<PaletteAction[]>(
    () => [
      {
        id: 'create',
        label: t('palette.create'),
        shortcut: 'c',
        run: () => setOverlay(Overlay.create),
      },
      { id: 'queue', label: t('palette.queue'), shortcut: 'g q', run: () => navigate('/') },
      { id: 'kb', label: t('palette.kb'), shortcut: 'g k', run: () => navigate('/kb') },
      {
        id: 'problems',
        label: t('palette.problems'),
        shortcut: 'g p',
        run: () => navigate('/problems'),
      },
      ...(isManager
        ? [
            { id: 'duty', label: t('palette.duty'), shortcut: 'g d', run: () => navigate('/duty') },
            {
              id: 'roster',
              label: t('palette.roster'),
              shortcut: 'g r',
              run: () => navigate('/roster'),
            },
            {
              id: 'reports',
              label: t('palette.reports'),
              shortcut: 'g m',
              run: () => navigate('/reports'),
            },
            { id: 'admin', label: t('palette.admin'), run: () => navigate('/admin') },
          ]
        : []),
      { id: 'search', label: t('palette.search'), shortcut: 'f', run: focusSearchBox },
      {
        id: 'filter',
        label: t('palette.filter'),
        shortcut: '/',
        run: () => {
          navigate('/');
          queueMicrotask(() =>
            document.querySelector<HTMLInputElement>('.queue-filters input')?.focus(),
          );
        },
      },
      {
        id: 'language',
        label: t('palette.language'),
        run: () => setLocale(LOCALES[(LOCALES.indexOf(locale) + 1) % LOCALES.length] ?? Locale.en),
      },
      {
        id: 'notifications',
        label: t('palette.notifications'),
        run: () => host.requestNotificationPermission(),
      },
      { id: 'help', label: t('palette.help'), shortcut: '?', run: () => setOverlay(Overlay.help) },
      { id: 'signOut', label: t('app.signOut'), run: signOut },
    ],
    [host, isManager, locale, setLocale, signOut, t],
  );
  usePaletteActions('global', globalActions);
  const actions = usePaletteRegistry();

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setOverlay((o) => (o === Overlay.palette ? Overlay.none : Overlay.palette));
        return;
      }
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (isEditableTarget(event.target) || overlay !== Overlay.none) return;
      if (pendingG.current) {
        pendingG.current = false;
        if (event.key === 'q') navigate('/');
        else if (event.key === 'k') navigate('/kb');
        else if (event.key === 'p') navigate('/problems');
        else if (event.key === 'd' && isManager) navigate('/duty');
        else if (event.key === 'r' && isManager) navigate('/roster');
        else if (event.key === 'm' && isManager) navigate('/reports');
        event.preventDefault();
        return;
      }
      if (event.key === '?') {
        event.preventDefault();
        setOverlay(Overlay.help);
      } else if (event.key === 'c') {
        event.preventDefault();
        setOverlay(Overlay.create);
      } else if (event.key === 'f') {
        event.preventDefault();
        focusSearchBox();
      } else if (event.key === 'g') {
        pendingG.current = true;
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [isManager, overlay]);

  return (
    <div className="console">
      <a className="skip-link" href="#queue">
        {t('app.skipToQueue')}
      </a>
      <header className="topbar">
        <h1 className="topbar__title">{t('app.title')}</h1>
        <nav className="topbar__nav" aria-label={t('app.nav')}>
          <button type="button" className="button button--quiet" onClick={() => navigate('/')}>
            {t('app.queue')}
          </button>
          {isManager && (
            <button
              type="button"
              className="button button--quiet"
              onClick={() => navigate('/duty')}
            >
              {t('app.duty')}
            </button>
          )}

          {isAdminArea && (
            <button
              type="button"
              className="button button--quiet"
              onClick={() => navigate('/admin')}
            >
              {t('app.admin')}
            </button>
          )}
          <button
            type="button"
            className="button button--primary"
            aria-keyshortcuts="c"
            onClick={() => setOverlay(Overlay.create)}
          >
            {t('app.newTicket')}
          </button>
        </nav>
        <ConnectionIndicator />
        <SearchBox />
        <div className="topbar__spacer" />
        <button
          type="button"
          className="button button--quiet"
          aria-keyshortcuts="Control+K"
          onClick={() => setOverlay(Overlay.palette)}
        >
          {t('app.palette')} <kbd className="kbd">Ctrl K</kbd>
        </button>
        <button
          type="button"
          className="button button--quiet"
          aria-keyshortcuts="?"
          aria-label={t('help.title')}
          onClick={() => setOverlay(Overlay.help)}
        >
          ?
        </button>
        {user && <UserMenu displayName={user.displayName} onSignOut={signOut} />}
      </header>
      <UpdateRequiredBanner />
      <OfflineBanner />
      <main className="console__main">{children}</main>
      <AlertPrompt remind={playAlertBeep} />
      <HandoffToasts />
      {overlay !== Overlay.none && (
        <ScreenSuspense key={overlay} overlay>
          {overlay === Overlay.palette && <CommandPalette actions={actions} onClose={close} />}
          {overlay === Overlay.help && <HelpOverlay onClose={close} />}
          {overlay === Overlay.create && <CreateTicketDialog onClose={close} />}
        </ScreenSuspense>
      )}
    </div>
  );
}

function NotFound() {
  const t = useT();
  return (
    <section className="panel">
      <p>{t('app.notFound')}</p>
      <button type="button" className="button" onClick={() => navigate('/')}>
        {t('app.backToQueue')}
      </button>
    </section>
  );
}
