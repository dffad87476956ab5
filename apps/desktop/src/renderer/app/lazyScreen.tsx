import { Component, Suspense, lazy } from 'react';
import type { ComponentType, ReactNode } from 'react';
import { useT } from '../i18n/i18n';

/** A screen's code could not be fetched (offline, or the server was updated meanwhile). */
export class ScreenLoadError extends Error {
  constructor(cause: unknown) {
    super('a part of the console could not be loaded', { cause });
    this.name = 'ScreenLoadError';
  }
}

export interface LazyScreen<P extends object> {
  (props: P): ReactNode;
  /** Starts fetching the code now; once loaded it stays, a failed fetch may be asked again. */
  preload(): Promise<unknown>;
}

/** Screens whose last fetch failed: "Try again" makes them fetch anew. */
const failedScreens = new Set<() => void>();

/**
 * A screen whose code is its own chunk, fetched the first time it is shown (or `preload`ed).
 * Render it inside `<ScreenSuspense>`, which shows a status while it loads and a retry if the
 * fetch fails. React.lazy keeps a failed promise for good, so a retry makes a new one.
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): LazyScreen<P> {
  let loading: Promise<ComponentType<P>> | undefined;
  const preload = (): Promise<ComponentType<P>> => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw new ScreenLoadError(error);
    });
    return loading;
  };
  const makeLazy = () =>
    lazy(() =>
      preload().then(
        (component) => ({ default: component }),
        (error: unknown) => {
          failedScreens.add(reset);
          throw error;
        },
      ),
    );
  let Lazy = makeLazy();
  function reset(): void {
    Lazy = makeLazy();
  }
  const Screen = (props: P): ReactNode => {
    const Current = Lazy as unknown as ComponentType<P>;
    return <Current {...props} />;
  };
  return Object.assign(Screen, { preload });
}

function retryFailedScreens(): void {
  for (const reset of failedScreens) reset();
  failedScreens.clear();
}

/** What a screen shows while its code loads: a polite status, visible after a short delay. */
export function ScreenLoading({ overlay = false }: { overlay?: boolean }) {
  const t = useT();
  return (
    <p
      className={overlay ? 'screen-loading screen-loading--overlay' : 'screen-loading'}
      role="status"
    >
      {t('app.loading')}
    </p>
  );
}

function ScreenLoadFailed({ overlay, onRetry }: { overlay: boolean; onRetry(): void }) {
  const t = useT();
  return (
    <section
      className={overlay ? 'panel screen-failed screen-failed--overlay' : 'panel screen-failed'}
      role="alert"
    >
      <p>{t('app.loadFailed')}</p>
      <div className="screen-failed__actions">
        <button type="button" className="button button--primary" onClick={onRetry}>
          {t('app.retry')}
        </button>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          {t('app.reload')}
        </button>
      </div>
    </section>
  );
}

interface BoundaryState {
  error: unknown;
}

/** Catches a failed chunk fetch below it; every other error goes on up as before. */
class ScreenLoadBoundary extends Component<
  { overlay: boolean; children: ReactNode },
  BoundaryState
> {
  override state: BoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { error };
  }

  override render(): ReactNode {
    const { error } = this.state;
    // Not ours: thrown from here it reaches the boundary above, as if this one were not there.
    if (error !== null && !(error instanceof ScreenLoadError)) throw error;
    if (error) {
      return (
        <ScreenLoadFailed
          overlay={this.props.overlay}
          onRetry={() => {
            retryFailedScreens();
            this.setState({ error: null });
          }}
        />
      );
    }
    return this.props.children;
  }
}

/** Suspense for lazy screens, with the loading status and the retry on a failed fetch. */
export function ScreenSuspense({
  overlay = false,
  children,
}: {
  overlay?: boolean;
  children: ReactNode;
}) {
  return (
    <ScreenLoadBoundary overlay={overlay}>
      <Suspense fallback={<ScreenLoading overlay={overlay} />}>{children}</Suspense>
    </ScreenLoadBoundary>
  );
}
