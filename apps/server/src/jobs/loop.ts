import type { Logger } from '../log';

/** A node's periodic job: the SLA scheduler, the escalation engine, and any later one. */
export interface BackgroundLoop<T> {
  /** Runs at once, then every `intervalMs` after each run ends, until stopped. */
  start(): void;
  /** Stops the timer and waits for the run in progress. */
  stop(): Promise<void>;
  /** One run now, after the one in progress (tests drive loops with it). */
  tick(): Promise<T>;
  /** Runs within `delayMs` (sooner if already due sooner); nothing while stopped. */
  wake(delayMs?: number): void;
  readonly running: boolean;
}

export interface BackgroundLoopOptions<T> {
  /** Names the loop in its log lines. */
  name: string;
  intervalMs: number;
  run: () => Promise<T>;
  log: Logger;
}

/**
 * One background loop: runs never overlap (each waits for the previous), a failed run is
 * logged and the loop goes on, an early wake moves the next run forward but never back, and
 * timers do not hold the process open. Wall-clock timers on purpose: what a run does reads the
 * server's clock (`ctx.clock`), so tests with a fake clock drive `tick()` instead.
 */
export function createBackgroundLoop<T>(opts: BackgroundLoopOptions<T>): BackgroundLoop<T> {
  let stopped = true;
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let timerAt = Number.POSITIVE_INFINITY;

  function tick(): Promise<T> {
    const run = chain.then(() => opts.run());
    chain = run.catch(() => undefined);
    return run;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    const at = Date.now() + delayMs;
    if (timer && at >= timerAt) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(
      () => {
        timer = null;
        timerAt = Number.POSITIVE_INFINITY;
        void tick()
          .catch((err: unknown) => opts.log.error({ err }, `${opts.name} run failed`))
          .finally(() => schedule(opts.intervalMs));
      },
      Math.max(0, delayMs),
    );
    timer.unref();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      timerAt = Number.POSITIVE_INFINITY;
      await chain;
    },
    tick,
    wake(delayMs = 0) {
      schedule(delayMs);
    },
    get running() {
      return !stopped;
    },
  };
}

/** A background run's share of the event loop (see {@link createTurnBudget}). */
export interface TurnBudget {
  /** Yields to the event loop when the run has had `sliceMs` of it since it last did. */
  yieldIfDue(): Promise<void>;
  /** Yields now (between transactions). */
  yieldNow(): Promise<void>;
}

/**
 * Commands first: a background run that works through a backlog (an SLA storm, a burst of
 * alerts) checks this between steps and, once it has held the event loop for `sliceMs`, yields
 * with `setImmediate`, after the I/O already arrived (socket commands, database replies of
 * commands in flight), so a command waits for at most one slice of the run, never for the run.
 */
export function createTurnBudget(sliceMs: number): TurnBudget {
  let since = performance.now();
  const yieldNow = async (): Promise<void> => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    since = performance.now();
  };
  return {
    async yieldIfDue() {
      if (performance.now() - since >= sliceMs) await yieldNow();
    },
    yieldNow,
  };
}
