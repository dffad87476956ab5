/**
 * The whole classifier as stored and used: one or more feature sets (each with its idf), per
 * field one linear model per set whose margins are summed (an ensemble of a word model and a
 * character n-gram model), per-field cross-validated accuracy. Pure (no IO); the service
 * trains it in slices and stores it (classifier.repo.ts).
 */
import { hashFeatures, type FeatureOptions } from './features';
import {
  argmax,
  fitScale,
  margins,
  softmax,
  trainLinear,
  type LinearModel,
  type SparseVector,
} from './linear';

export const CLASSIFIER_FIELDS = ['category', 'module', 'groupId', 'priority'] as const;
export type ClassifierField = (typeof CLASSIFIER_FIELDS)[number];

/** One labelled ticket of the history. */
export interface Example {
  text: string;
  labels: Partial<Record<ClassifierField, string | null>>;
}

export interface FieldModel {
  classes: string[];
  /** One per feature set, in the sets' order; their margins are summed. */
  models: LinearModel[];
  /** Softmax scale over the summed margins. */
  scale: number;
}

/**
 * One feature set of a model: how texts are cut and hashed, the hashed buckets the history
 * had (a bucket's position in `buckets` is its column in the weights) and each column's idf.
 */
export interface FeatureSet {
  features: FeatureOptions;
  /** Ascending. Empty: every bucket is its own column (models stored before decision 62). */
  buckets: Int32Array;
  idf: Float32Array;
  /** The idf of a bucket the history never had, ln(1 + n) + 1 (it counts in a text's norm). */
  unseenIdf: number;
}

export interface Classifier {
  sets: FeatureSet[];
  fields: Partial<Record<ClassifierField, FieldModel>>;
  /** Per field: k-fold cross-validated accuracy, the majority class's share, examples used. */
  evaluation: Partial<Record<ClassifierField, FieldEvaluation>>;
}

export interface FieldEvaluation {
  accuracy: number;
  majority: number;
  examples: number;
  classes: number;
}

export interface TrainSettings {
  /** The feature sets of the ensemble (one: a single model). */
  features: FeatureOptions[];
  /** The SVM's C, one for every set or one per set. */
  c: number | number[];
  epochs: number;
  folds: number;
  /** A field is learnt when it has this many labelled examples and two classes or more. */
  minExamples: number;
  pause?: () => Promise<void> | null;
}

/** The text a ticket is classified on: title and description (once when one starts the other). */
export function ticketText(title: string | null | undefined, description: string): string {
  const t = (title ?? '').trim();
  if (t === '' || description.startsWith(t)) return description;
  return `${t}\n${description}`;
}

async function maybePause(s: TrainSettings, i: number): Promise<void> {
  if ((i & 255) === 0 && s.pause) {
    const p = s.pause();
    if (p) await p;
  }
}

function sumMargins(models: LinearModel[], xs: SparseVector[]): Float64Array {
  let sum: Float64Array | null = null;
  for (const [j, m] of models.entries()) {
    const mg = margins(m, xs[j] as SparseVector);
    if (!sum) sum = mg;
    else for (let c = 0; c < mg.length; c++) sum[c] = (sum[c] as number) + (mg[c] as number);
  }
  return sum ?? new Float64Array(0);
}

/** A text of the history in one set's columns: each column with its sublinear tf, 1 + ln(count). */
interface Doc {
  cols: Int32Array;
  tf: Float32Array;
}

/** Smoothed idf of each column over some rows of the history, as scikit-learn computes it. */
function idfOver(docs: readonly Doc[], rows: readonly number[], columns: number): Float32Array {
  const df = new Float32Array(columns);
  for (const i of rows) for (const c of (docs[i] as Doc).cols) df[c] = (df[c] as number) + 1;
  const idf = new Float32Array(columns);
  for (let c = 0; c < columns; c++)
    idf[c] = Math.log((1 + rows.length) / (1 + (df[c] as number))) + 1;
  return idf;
}

/** A history text as TF-IDF, L2-normalised (its columns shared with the doc). */
function weighDoc(d: Doc, idf: Float32Array): SparseVector {
  const val = new Float32Array(d.cols.length);
  let norm = 0;
  for (let k = 0; k < val.length; k++) {
    const v = (d.tf[k] as number) * (idf[d.cols[k] as number] as number);
    val[k] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < val.length; k++) val[k] = (val[k] as number) / norm;
  return { idx: d.cols, val };
}

/** The column of a bucket, -1 when the history never had it. */
function columnOf(set: FeatureSet, bucket: number): number {
  const b = set.buckets;
  if (b.length === 0) return bucket;
  let lo = 0;
  let hi = b.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = b[mid] as number;
    if (v === bucket) return mid;
    if (v < bucket) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** A new text as TF-IDF in a set's columns; buckets the history never had count in the norm only. */
export function vectorize(set: FeatureSet, text: string): SparseVector {
  const counts = hashFeatures(text, set.features);
  const idx = new Int32Array(counts.size);
  const val = new Float32Array(counts.size);
  let n = 0;
  let norm = 0;
  for (const [bucket, count] of counts) {
    const col = columnOf(set, bucket);
    const v = (1 + Math.log(count)) * (col < 0 ? set.unseenIdf : ((set.idf[col] ?? 1) as number));
    norm += v * v;
    if (col < 0) continue;
    idx[n] = col;
    val[n] = v;
    n += 1;
  }
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < n; k++) val[k] = (val[k] as number) / norm;
  return { idx: idx.subarray(0, n), val: val.subarray(0, n) };
}

/** Cuts every text of the history for one set: the buckets it has (the columns) and each text's. */
async function prepareSet(
  examples: readonly Example[],
  features: FeatureOptions,
  s: TrainSettings,
): Promise<{ buckets: Int32Array; docs: Doc[] }> {
  const counts: Array<Map<number, number>> = [];
  const seen = new Set<number>();
  for (const [i, e] of examples.entries()) {
    const c = hashFeatures(e.text, features);
    for (const b of c.keys()) seen.add(b);
    counts.push(c);
    await maybePause(s, i);
  }
  const buckets = Int32Array.from(seen).sort();
  const column = new Map<number, number>();
  for (const [k, b] of buckets.entries()) column.set(b, k);
  const docs: Doc[] = [];
  for (const [i, c] of counts.entries()) {
    const cols = new Int32Array(c.size);
    const tf = new Float32Array(c.size);
    let k = 0;
    for (const [b, count] of c) {
      cols[k] = column.get(b) as number;
      tf[k] = 1 + Math.log(count);
      k += 1;
    }
    docs.push({ cols, tf });
    await maybePause(s, i);
  }
  return { buckets, docs };
}

/**
 * Trains every field that has enough labels, with k-fold CV accuracy and a fitted softmax
 * scale. Each fold's models see only its training rows, their idf included; the final models
 * are trained on every labelled row with the idf of the whole history.
 */
export async function trainClassifier(
  examples: readonly Example[],
  s: TrainSettings,
): Promise<Classifier> {
  const prepared: Array<{ features: FeatureOptions; buckets: Int32Array; docs: Doc[] }> = [];
  for (const features of s.features)
    prepared.push({ features, ...(await prepareSet(examples, features, s)) });
  const cOf = (j: number): number => (Array.isArray(s.c) ? (s.c[j] ?? s.c[0] ?? 0.5) : s.c);
  const all = examples.map((_, i) => i);
  const sets: FeatureSet[] = prepared.map((p) => ({
    features: p.features,
    buckets: p.buckets,
    idf: idfOver(p.docs, all, p.buckets.length),
    unseenIdf: Math.log(1 + examples.length) + 1,
  }));
  const out: Classifier = { sets, fields: {}, evaluation: {} };
  /** Per set, the rows' vectors with this idf (the whole history's: the final models). */
  let finalVectors: SparseVector[][] | null = null;
  const trainSets = async (
    rows: number[],
    label: Int32Array,
    classes: string[],
    idfs: Float32Array[] | null,
  ): Promise<{ models: LinearModel[]; vectors: (j: number, i: number) => SparseVector }> => {
    const models: LinearModel[] = [];
    for (const [j, p] of prepared.entries()) {
      const idf = idfs?.[j] ?? (sets[j] as FeatureSet).idf;
      const xs: SparseVector[] = [];
      if (idfs === null) {
        finalVectors ??= prepared.map(() => []);
        const fv = finalVectors[j] as SparseVector[];
        if (fv.length === 0)
          for (const [k, d] of p.docs.entries()) {
            fv.push(weighDoc(d, idf));
            await maybePause(s, k);
          }
        for (const i of rows) xs.push(fv[i] as SparseVector);
      } else {
        for (const [k, i] of rows.entries()) {
          xs.push(weighDoc(p.docs[i] as Doc, idf));
          await maybePause(s, k);
        }
      }
      models.push(
        await trainLinear(xs, label, classes, p.buckets.length, {
          c: cOf(j),
          epochs: s.epochs,
          pause: s.pause,
        }),
      );
    }
    return {
      models,
      vectors: (j, i) =>
        weighDoc(
          (prepared[j] as (typeof prepared)[number]).docs[i] as Doc,
          idfs?.[j] ?? (sets[j] as FeatureSet).idf,
        ),
    };
  };
  for (const field of CLASSIFIER_FIELDS) {
    const rows: number[] = [];
    for (let i = 0; i < examples.length; i++) {
      const v = examples[i]?.labels[field];
      if (v !== undefined && v !== null && v !== '') rows.push(i);
    }
    const tally = new Map<string, number>();
    for (const i of rows) {
      const v = examples[i]?.labels[field] as string;
      tally.set(v, (tally.get(v) ?? 0) + 1);
    }
    if (rows.length < s.minExamples || tally.size < 2) continue;
    const classes = [...tally.keys()].sort();
    const index = new Map(classes.map((c, k) => [c, k]));
    const labelOf = (i: number): number => index.get(examples[i]?.labels[field] as string) ?? -1;
    const folds = Math.min(s.folds, rows.length);
    const held: Array<{ margins: Float64Array; label: number }> = [];
    let correct = 0;
    for (let f = 0; f < folds; f++) {
      const train: number[] = [];
      const test: number[] = [];
      for (let k = 0; k < rows.length; k++)
        (k % folds === f ? test : train).push(rows[k] as number);
      // The fold's idf from its training rows only: the held-out texts are not looked at.
      const idfs = prepared.map((p) => idfOver(p.docs, train, p.buckets.length));
      const fold = await trainSets(train, new Int32Array(train.map(labelOf)), classes, idfs);
      for (const [k, i] of test.entries()) {
        const mg = sumMargins(
          fold.models,
          prepared.map((_, j) => fold.vectors(j, i)),
        );
        if (argmax(mg) === labelOf(i)) correct += 1;
        held.push({ margins: mg, label: labelOf(i) });
        await maybePause(s, k);
      }
    }
    const { models } = await trainSets(rows, new Int32Array(rows.map(labelOf)), classes, null);
    out.fields[field] = { classes, models, scale: fitScale(held) };
    out.evaluation[field] = {
      accuracy: correct / rows.length,
      majority: Math.max(...tally.values()) / rows.length,
      examples: rows.length,
      classes: classes.length,
    };
  }
  return out;
}

export interface Suggestion {
  value: string;
  confidence: number;
}

/** Each learnt field's top suggestions (3) with calibrated confidences. */
export function classify(
  model: Classifier,
  text: string,
  top = 3,
): Partial<Record<ClassifierField, Suggestion[]>> {
  const xs = model.sets.map((set) => vectorize(set, text));
  const out: Partial<Record<ClassifierField, Suggestion[]>> = {};
  for (const field of CLASSIFIER_FIELDS) {
    const m = model.fields[field];
    if (!m) continue;
    const p = softmax(sumMargins(m.models, xs), m.scale);
    out[field] = [...p]
      .map((confidence, i) => ({ value: m.classes[i] as string, confidence }))
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, top)
      .map((x) => ({ value: x.value, confidence: Math.round(x.confidence * 1000) / 1000 }));
  }
  return out;
}

export interface StoredMeta {
  sets: FeatureOptions[];
  /**
   * Per set, its columns and the idf of a bucket the history never had (decision 62). Absent in
   * models stored before: their blob holds every bucket.
   */
  columns?: Array<{ count: number; unseenIdf: number }>;
  fields: Partial<Record<ClassifierField, { classes: string[]; scale: number }>>;
  evaluation: Classifier['evaluation'];
}

/**
 * The model as stored: JSON meta and the 32-bit arrays packed (each set's buckets, int32, and
 * idf, then each field's weights per set, float32).
 */
export function packClassifier(model: Classifier): { meta: StoredMeta; blob: Buffer } {
  const parts: Array<Float32Array | Int32Array> = [];
  for (const s of model.sets) parts.push(s.buckets, s.idf);
  const fields: StoredMeta['fields'] = {};
  for (const field of CLASSIFIER_FIELDS) {
    const m = model.fields[field];
    if (!m) continue;
    fields[field] = { classes: m.classes, scale: m.scale };
    for (const lm of m.models) parts.push(lm.weights);
  }
  const blob = Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
  return {
    meta: {
      sets: model.sets.map((s) => s.features),
      columns: model.sets.map((s) => ({ count: s.idf.length, unseenIdf: s.unseenIdf })),
      fields,
      evaluation: model.evaluation,
    },
    blob,
  };
}

export function unpackClassifier(meta: StoredMeta, blob: Buffer): Classifier {
  const buffer = blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength);
  let at = 0;
  const take = (n: number): Float32Array => {
    const a = new Float32Array(buffer, at * 4, n);
    at += n;
    return a;
  };
  const takeInt = (n: number): Int32Array => {
    const a = new Int32Array(buffer, at * 4, n);
    at += n;
    return a;
  };
  const sets: FeatureSet[] = meta.sets.map((features, j) => {
    const c = meta.columns?.[j];
    if (!c) {
      // Stored before decision 62: every bucket a column, none unseen.
      return { features, buckets: new Int32Array(0), idf: take(1 << features.bits), unseenIdf: 1 };
    }
    const buckets = takeInt(c.count);
    return { features, buckets, idf: take(c.count), unseenIdf: c.unseenIdf };
  });
  const model: Classifier = { sets, fields: {}, evaluation: meta.evaluation };
  for (const field of CLASSIFIER_FIELDS) {
    const f = meta.fields[field];
    if (!f) continue;
    model.fields[field] = {
      classes: f.classes,
      scale: f.scale,
      models: sets.map((s) => {
        const dims = s.idf.length;
        return { classes: f.classes, dims, scale: 1, weights: take(f.classes.length * (dims + 1)) };
      }),
    };
  }
  return model;
}
