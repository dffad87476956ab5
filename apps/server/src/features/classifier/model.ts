/**
 * The whole classifier as stored and used: the text features, the idf, one linear model per
 * field, per-field cross-validated accuracy. Pure (no IO); the service trains it in slices and
 * stores it (classifier.repo.ts).
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

export interface Classifier {
  features: FeatureOptions;
  idf: Float32Array;
  fields: Partial<Record<ClassifierField, LinearModel>>;
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
  features: FeatureOptions;
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

/** Trains every field that has enough labels, with k-fold CV accuracy and a fitted softmax scale. */
export async function trainClassifier(
  examples: readonly Example[],
  s: TrainSettings,
): Promise<Classifier> {
  const dims = 1 << s.features.bits;
  const counts: Array<Map<number, number>> = [];
  for (const [i, e] of examples.entries()) {
    counts.push(hashFeatures(e.text, s.features));
    if ((i & 255) === 0 && s.pause) {
      const p = s.pause();
      if (p) await p;
    }
  }
  const idf = computeIdf(counts, dims);
  const xs = counts.map((c) => weigh(c, idf));
  const out: Classifier = { features: s.features, idf, fields: {}, evaluation: {} };
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
    const label = new Int32Array(
      rows.map((i) => classes.indexOf(examples[i]?.labels[field] as string)),
    );
    const fx = rows.map((i) => xs[i] as SparseVector);
    // k-fold CV on the same features (the idf is the whole history's: it uses no labels).
    const folds = Math.min(s.folds, rows.length);
    const held: Array<{ margins: Float64Array; label: number }> = [];
    let correct = 0;
    for (let f = 0; f < folds; f++) {
      const train: number[] = [];
      const test: number[] = [];
      for (let k = 0; k < rows.length; k++) (k % folds === f ? test : train).push(k);
      const m = await trainLinear(
        train.map((k) => fx[k] as SparseVector),
        new Int32Array(train.map((k) => label[k] as number)),
        classes,
        dims,
        { c: s.c, epochs: s.epochs, pause: s.pause },
      );
      for (const k of test) {
        const mg = margins(m, fx[k] as SparseVector);
        if (argmax(mg) === label[k]) correct += 1;
        held.push({ margins: mg, label: label[k] as number });
      }
    }
    const model = await trainLinear(fx, label, classes, dims, {
      c: s.c,
      epochs: s.epochs,
      pause: s.pause,
    });
    model.scale = fitScale(held);
    out.fields[field] = model;
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
  const x = weigh(hashFeatures(text, model.features), model.idf);
  const out: Partial<Record<ClassifierField, Suggestion[]>> = {};
  for (const field of CLASSIFIER_FIELDS) {
    const m = model.fields[field];
    if (!m) continue;
    const p = softmax(margins(m, x), m.scale);
    out[field] = [...p]
      .map((confidence, i) => ({ value: m.classes[i] as string, confidence }))
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, top)
      .map((s) => ({ value: s.value, confidence: Math.round(s.confidence * 1000) / 1000 }));
  }
  return out;
}

/** The model as stored: JSON meta and the float32 arrays (idf, then each field's weights) packed. */
export function packClassifier(model: Classifier): { meta: StoredMeta; blob: Buffer } {
  const parts: Float32Array[] = [model.idf];
  const fields: StoredMeta['fields'] = {};
  for (const field of CLASSIFIER_FIELDS) {
    const m = model.fields[field];
    if (!m) continue;
    fields[field] = { classes: m.classes, scale: m.scale, length: m.weights.length };
    parts.push(m.weights);
  }
  const bytes = Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
  return { meta: { features: model.features, fields, evaluation: model.evaluation }, blob: bytes };
}

export interface StoredMeta {
  features: FeatureOptions;
  fields: Partial<Record<ClassifierField, { classes: string[]; scale: number; length: number }>>;
  evaluation: Classifier['evaluation'];
}

export function unpackClassifier(meta: StoredMeta, blob: Buffer): Classifier {
  const all = new Float32Array(
    blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength),
  );
  const dims = 1 << meta.features.bits;
  let at = dims;
  const model: Classifier = {
    features: meta.features,
    idf: all.slice(0, dims),
    fields: {},
    evaluation: meta.evaluation,
  };
  for (const field of CLASSIFIER_FIELDS) {
    const f = meta.fields[field];
    if (!f) continue;
    model.fields[field] = {
      classes: f.classes,
      dims,
      scale: f.scale,
      weights: all.slice(at, at + f.length),
    };
    at += f.length;
  }
  return model;
}
