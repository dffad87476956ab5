import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AppContext } from '../../context';
import { DEFAULT_FEATURES } from './features';
import {
  classify,
  packClassifier,
  ticketText,
  trainClassifier,
  unpackClassifier,
  type Classifier,
  type ClassifierField,
  type Suggestion,
  type TrainSettings,
} from './model';
import {
  claimJob,
  countExamples,
  finishJob,
  insertModel,
  readExamples,
  readLatestVersion,
  readModel,
} from './classifier.repo';

/** What training uses (decision 50; the figures behind the choice are in docs/performance.md). */
export const TRAIN_SETTINGS: Omit<TrainSettings, 'pause'> = {
  features: DEFAULT_FEATURES,
  /** Per feature set: words + bigrams, character n-grams (decision 62). */
  c: [1, 0.5],
  epochs: 8,
  folds: 5,
  minExamples: 20,
};

/** Training gives the event loop a turn after this much work (commands are answered between). */
export const TRAIN_SLICE_MS = 8;
/** How often a node looks for a newer model another node trained. */
export const MODEL_POLL_MS = 5_000;

export interface LoadedModel {
  version: number;
  trainedAt: Date;
  examples: number;
  /** The stored blob's size in bytes. */
  bytes: number;
  model: Classifier;
}

export interface ClassifierService {
  /**
   * The model in force on this node (the newest stored). Once one is loaded it answers at once;
   * a newer version is looked up in the background at most every MODEL_POLL_MS.
   */
  current(): Promise<LoadedModel | null>;
  /** Starts a training run (one at a time on this node); its job id. */
  train(reason: string, key?: string): Promise<{ jobId: string; started: boolean }>;
  classifyText(
    model: LoadedModel,
    title: string | null | undefined,
    description: string,
  ): Partial<Record<ClassifierField, Suggestion[]>>;
  /** The nightly run (a periodic job): once a day after `nightlyHour` UTC, on one node, when the history grew. */
  nightly(now: Date): Promise<void>;
  /** Waits for this node's training run, if any (tests, stop). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function createClassifierService(
  ctx: AppContext,
  opts: { settings?: Omit<TrainSettings, 'pause'>; nightlyHour?: number } = {},
): ClassifierService {
  const settings = opts.settings ?? TRAIN_SETTINGS;
  const nightlyHour = opts.nightlyHour ?? 2;
  let loaded: LoadedModel | null = null;
  let checkedAt = -Infinity;
  let loading: Promise<LoadedModel | null> | null = null;
  let running: { jobId: string; done: Promise<void> } | null = null;
  let stopping = false;
  let lastTrainedExamples = -1;
  let nightlyCheckedAt = -Infinity;

  async function load(): Promise<LoadedModel | null> {
    const latest = await readLatestVersion(ctx.database.db);
    checkedAt = performance.now();
    if (latest === null || latest === loaded?.version) return loaded;
    const stored = await readModel(ctx.database.db, latest);
    if (!stored) return loaded;
    loaded = {
      version: stored.version,
      trainedAt: stored.trainedAt,
      examples: stored.examples,
      bytes: stored.blob.length,
      model: unpackClassifier(stored.meta, stored.blob),
    };
    ctx.log.info({ version: loaded.version }, 'classifier model loaded');
    return loaded;
  }

  async function run(jobId: string): Promise<void> {
    let last = performance.now();
    const pause = (): Promise<void> | null => {
      if (stopping) throw new Error('the server is stopping');
      if (performance.now() - last < TRAIN_SLICE_MS) return null;
      return nextTurn().then(() => {
        last = performance.now();
      });
    };
    try {
      const examples = await readExamples(ctx.database.db);
      const started = performance.now();
      const model = await trainClassifier(examples, { ...settings, pause });
      const seconds = (performance.now() - started) / 1000;
      lastTrainedExamples = examples.length;
      if (Object.keys(model.fields).length === 0) {
        await finishJob(ctx.database.db, jobId, {
          status: 'failed',
          finishedAt: ctx.clock.now(),
          error: `not enough labelled tickets (${examples.length}; at least ${settings.minExamples} with two categories or more)`,
        });
        return;
      }
      const { meta, blob } = packClassifier(model);
      const version = await insertModel(ctx.database.db, {
        trainedAt: ctx.clock.now(),
        examples: examples.length,
        meta,
        blob,
      });
      await finishJob(ctx.database.db, jobId, {
        status: 'done',
        finishedAt: ctx.clock.now(),
        version,
      });
      ctx.log.info(
        { jobId, version, examples: examples.length, seconds, bytes: blob.length },
        'classifier trained',
      );
      await load();
    } catch (err) {
      ctx.log.error({ err, jobId }, 'classifier training failed');
      await finishJob(ctx.database.db, jobId, {
        status: 'failed',
        finishedAt: ctx.clock.now(),
        error: stopping ? 'the server stopped' : 'training failed (see the server log)',
      }).catch(() => undefined);
    }
  }

  const service: ClassifierService = {
    async current() {
      if (!loading && performance.now() - checkedAt >= MODEL_POLL_MS) {
        loading = load().finally(() => (loading = null));
        // With a model loaded, the lookup of a newer version runs in the background: a
        // classify request never waits for the database beyond its session lookup.
        if (loaded)
          loading.catch((err: unknown) => ctx.log.warn({ err }, 'classifier model not reloaded'));
      }
      return loaded ?? loading;
    },
    async train(reason, key) {
      if (running) return { jobId: running.jobId, started: false };
      const jobId = randomUUID();
      // Set before the first await, so `idle()` right after a caller's `train` waits for it.
      const claimed = claimJob(ctx.database.db, {
        id: jobId,
        key: key ?? `run:${jobId}`,
        reason,
        startedAt: ctx.clock.now(),
      });
      const done = claimed
        .then((ok) => (ok ? run(jobId) : undefined))
        .finally(() => {
          running = null;
        });
      running = { jobId, done };
      return { jobId, started: await claimed };
    },
    classifyText(model, title, description) {
      return classify(model.model, ticketText(title, description));
    },
    async nightly(now) {
      if (now.getUTCHours() < nightlyHour || running) return;
      // The periodic jobs run every few seconds: the history is counted at most once an hour.
      if (performance.now() - nightlyCheckedAt < 3_600_000) return;
      nightlyCheckedAt = performance.now();
      const n = await countExamples(ctx.database.db);
      if (n < settings.minExamples || n === lastTrainedExamples) return;
      const latest = await service.current();
      if (latest && latest.examples === n) {
        lastTrainedExamples = n;
        return;
      }
      await service.train('nightly', `nightly:${now.toISOString().slice(0, 10)}`);
    },
    async idle() {
      await running?.done;
    },
    async stop() {
      stopping = true;
      await running?.done;
    },
  };
  return service;
}
