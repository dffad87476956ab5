import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { ConnectionIndicator } from '../features/connection/ConnectionIndicator';
import { LoginView } from '../features/login/LoginView';
import { QueueView } from '../features/queue/QueueView';
import { WallboardView } from '../features/wallboard/WallboardView';
import { useT } from '../i18n/i18n';
import { StoreContext, useAppStore } from '../store/StoreContext';
import { LocaleSwitch } from '../ui/LocaleSwitch';
import { matchRoute, navigate, usePathname } from './router';
import { ServicesContext, useServices } from './services';
import type { AppServices } from './services';
import { TicketPanel } from './TicketPanel';

export function App({ services }: { services: AppServices }) {
  return (
    <StoreContext.Provider value={services.store}>
      <ServicesContext.Provider value={services}>
        <Routes />
      </ServicesContext.Provider>
    </StoreContext.Provider>
  );
}

function Routes() {
  const pathname = usePathname();
  const signedIn = useAppStore((state) => state.session !== null);
  const route = matchRoute(pathname, signedIn);
  if (route.name === 'wallboard') return <WallboardView />;
  if (route.name === 'login') return <LoginView />;
  return (
    <ConsoleLayout>
      {route.name === 'notFound' ? (
        <NotFound />
      ) : (
        <>
          <QueueView onOpen={(id) => navigate(`/tickets/${encodeURIComponent(id)}`)} />
          {route.name === 'ticket' && <TicketPanel ticketId={route.ticketId} />}
        </>
      )}
    </ConsoleLayout>
  );
}

function ConsoleLayout({ children }: { children: ReactNode }) {
  const t = useT();
  const { api, host, store } = useServices();
  const user = useAppStore((state) => state.session?.user ?? null);

  useEffect(
    () => host.onOpenTicket((id) => navigate(`/tickets/${encodeURIComponent(id)}`)),
    [host],
  );

  const signOut = (): void => {
    const token = store.getState().session?.token;
    store.getState().signOut();
    if (token) void api.logout(token);
    navigate('/login', { replace: true });
  };

  return (
    <div className="console">
      <a className="skip-link" href="#queue">
        {t('app.skipToQueue')}
      </a>
      <header className="topbar">
        <h1 className="topbar__title">{t('app.title')}</h1>
        <ConnectionIndicator />
        <div className="topbar__spacer" />
        {user && (
          <span className="topbar__user">{t('app.signedInAs', { name: user.displayName })}</span>
        )}
        <LocaleSwitch />
        <button type="button" className="button button--quiet" onClick={signOut}>
          {t('app.signOut')}
        </button>
      </header>
      <main className="console__main">{children}</main>
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
