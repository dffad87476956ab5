/**
 * The whole classifier as stored and used: one or more feature sets (each with its idf), per
 * field one linear model per set whose margins are summed (an ensemble of a word model and a
 * character n-gram model), per-field cross-validated accuracy. Pure (no IO); the service
 * trains it in slices and stores it (classifier.repo.ts).
 */
import { hashFeatures, type FeatureOptions } from './features';
import {
  argmax,
  computeIdf,
  fitScale,
  margins,
  softmax,
  trainLinear,
  weigh,
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

export interface Classifier {
  sets: Array<{ features: FeatureOptions; idf: Float32Array }>;
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
  c: number;
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

/** Trains every field that has enough labels, with k-fold CV accuracy and a fitted softmax scale. */
export async function trainClassifier(
  examples: readonly Example[],
  s: TrainSettings,
): Promise<Classifier> {
  const sets: Classifier['sets'] = [];
  /** Per set, each example as TF-IDF. */
  const vectors: SparseVector[][] = [];
  for (const features of s.features) {
    const dims = 1 << features.bits;
    const counts: Array<Map<number, number>> = [];
    for (const [i, e] of examples.entries()) {
      counts.push(hashFeatures(e.text, features));
      await maybePause(s, i);
    }
    const idf = computeIdf(counts, dims);
    sets.push({ features, idf });
    const xs: SparseVector[] = [];
    for (const [i, c] of counts.entries()) {
      xs.push(weigh(c, idf));
      await maybePause(s, i);
    }
    vectors.push(xs);
  }
  const out: Classifier = { sets, fields: {}, evaluation: {} };
  const trainAll = async (rows: number[], label: Int32Array, classes: string[]) => {
    const models: LinearModel[] = [];
    for (const [j, set] of sets.entries()) {
      const xs = vectors[j] as SparseVector[];
      models.push(
        await trainLinear(
          rows.map((k) => xs[k] as SparseVector),
          label,
          classes,
          1 << set.features.bits,
          { c: s.c, epochs: s.epochs, pause: s.pause },
        ),
      );
    }
    return models;
  };
  const xsOf = (i: number): SparseVector[] => vectors.map((v) => v[i] as SparseVector);
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
    const labelOf = (i: number): number => classes.indexOf(examples[i]?.labels[field] as string);
    // k-fold CV on the same features (the idf is the whole history's: it uses no labels).
    const folds = Math.min(s.folds, rows.length);
    const held: Array<{ margins: Float64Array; label: number }> = [];
    let correct = 0;
    for (let f = 0; f < folds; f++) {
      const train: number[] = [];
      const test: number[] = [];
      for (let k = 0; k < rows.length; k++)
        (k % folds === f ? test : train).push(rows[k] as number);
      const models = await trainAll(train, new Int32Array(train.map(labelOf)), classes);
      for (const i of test) {
        const mg = sumMargins(models, xsOf(i));
        if (argmax(mg) === labelOf(i)) correct += 1;
        held.push({ margins: mg, label: labelOf(i) });
      }
    }
    const models = await trainAll(rows, new Int32Array(rows.map(labelOf)), classes);
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
  const xs = model.sets.map((set) => weigh(hashFeatures(text, set.features), set.idf));
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
  fields: Partial<Record<ClassifierField, { classes: string[]; scale: number }>>;
  evaluation: Classifier['evaluation'];
}

/** The model as stored: JSON meta and the float32 arrays (each set's idf, then each field's weights per set) packed. */
export function packClassifier(model: Classifier): { meta: StoredMeta; blob: Buffer } {
  const parts: Float32Array[] = model.sets.map((s) => s.idf);
  const fields: StoredMeta['fields'] = {};
  for (const field of CLASSIFIER_FIELDS) {
    const m = model.fields[field];
    if (!m) continue;
    fields[field] = { classes: m.classes, scale: m.scale };
    for (const lm of m.models) parts.push(lm.weights);
  }
  const blob = Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
  return {
    meta: { sets: model.sets.map((s) => s.features), fields, evaluation: model.evaluation },
    blob,
  };
}

export function unpackClassifier(meta: StoredMeta, blob: Buffer): Classifier {
  const all = new Float32Array(
    blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength),
  );
  let at = 0;
  const take = (n: number): Float32Array => {
    const a = all.slice(at, at + n);
    at += n;
    return a;
  };
  const sets = meta.sets.map((features) => ({ features, idf: take(1 << features.bits) }));
  const model: Classifier = { sets, fields: {}, evaluation: meta.evaluation };
  for (const field of CLASSIFIER_FIELDS) {
    const f = meta.fields[field];
    if (!f) continue;
    model.fields[field] = {
      classes: f.classes,
      scale: f.scale,
      models: sets.map((s) => {
        const dims = 1 << s.features.bits;
        return {
          classes: f.classes,
          dims,
          scale: 1,
          weights: take(f.classes.length * (dims + 1)),
        };
      }),
    };
  }
  return model;
}
