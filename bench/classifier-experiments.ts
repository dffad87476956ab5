/**
 * The classifier's model experiments behind decision 62 (not product code, not part of
 * `pnpm bench`): 5-fold CV on the it-tickets train.csv in memory, the product's `hashFeatures`
 * and `trainLinear`, each fold's idf from its training rows, the product's folds (row k in fold
 * k mod 5). `CLF_FILE` the CSV (default ../shared/data/it-tickets/train.csv from the repository
 * root), `LIMIT` the first rows, `RUN_FOLDS` how many folds to run, `FOLD` (experiment `fold`:
 * one fold's margins written to `CLF_OUT`, default the temp folder, for combining).
 *
 *   npx tsx bench/classifier-experiments.ts base|bits|c|grid|nb|fold
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecords } from '../apps/server/src/features/imports/parse';
import { hashFeatures, type FeatureOptions } from '../apps/server/src/features/classifier/features';
import { trainLinear, type SparseVector } from '../apps/server/src/features/classifier/linear';

const file = process.env.CLF_FILE ?? '../shared/data/it-tickets/train.csv';
const outDir = process.env.CLF_OUT ?? tmpdir();
const limit = Number(process.env.LIMIT ?? 0);
const records = readRecords(readFileSync(file, 'utf8'), 'csv').flatMap((r) =>
  'record' in r ? [r.record as Record<string, string>] : [],
);
const list = limit > 0 ? records.slice(0, limit) : records;
const texts = list.map((r) => (r.Document ?? '').trim() || '(empty)');
const cats = list.map((r) => (r.Topic_group ?? '').trim());
const classes = [...new Set(cats)].sort();
const labels = new Int32Array(cats.map((c) => classes.indexOf(c)));
const n = texts.length;
const K = classes.length;
const FOLDS = 5;
const RUN_FOLDS = Number(process.env.RUN_FOLDS ?? 5);

interface Counts {
  idx: Int32Array;
  cnt: Float32Array;
}
function toCounts(m: Map<number, number>): Counts {
  const keys = [...m.keys()].sort((a, b) => a - b);
  return {
    idx: Int32Array.from(keys),
    cnt: Float32Array.from(keys.map((k) => m.get(k) as number)),
  };
}
const cache = new Map<string, Counts[]>();
function featurize(o: FeatureOptions): Counts[] {
  const key = JSON.stringify(o);
  let c = cache.get(key);
  if (!c) {
    const t = performance.now();
    c = texts.map((s) => toCounts(hashFeatures(s, o)));
    const nnz = c.reduce((a, x) => a + x.idx.length, 0) / n;
    console.log(
      `  features ${key}: ${((performance.now() - t) / 1000).toFixed(1)} s, nnz/doc ${nnz.toFixed(0)}`,
    );
    cache.set(key, c);
  }
  return c;
}

function idfOf(docs: Counts[], rows: number[], dims: number): Float32Array {
  const df = new Float32Array(dims);
  for (const i of rows) for (const j of (docs[i] as Counts).idx) df[j] = (df[j] as number) + 1;
  const idf = new Float32Array(dims);
  const m = rows.length;
  for (let j = 0; j < dims; j++) idf[j] = Math.log((1 + m) / (1 + (df[j] as number))) + 1;
  return idf;
}
function weighC(c: Counts, idf: Float32Array, sub = true, scale?: Float32Array): SparseVector {
  const val = new Float32Array(c.idx.length);
  let norm = 0;
  for (let k = 0; k < c.idx.length; k++) {
    const j = c.idx[k] as number;
    let v = (sub ? 1 + Math.log(c.cnt[k] as number) : (c.cnt[k] as number)) * (idf[j] as number);
    if (scale) v *= scale[j] as number;
    val[k] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < val.length; k++) val[k] = (val[k] as number) / norm;
  return { idx: c.idx, val };
}

function foldRows(f: number): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < n; i++) (i % FOLDS === f ? test : train).push(i);
  return { train, test };
}

function marginsOf(w: Float32Array, dims: number, x: SparseVector, k: number): Float64Array {
  const out = new Float64Array(k);
  const stride = dims + 1;
  for (let c = 0; c < k; c++) {
    let s = w[c * stride + dims] as number;
    for (let q = 0; q < x.idx.length; q++)
      s += (w[c * stride + (x.idx[q] as number)] as number) * (x.val[q] as number);
    out[c] = s;
  }
  return out;
}

/** A model spec: given train rows and fold, margins on test rows. */
type Learner = (train: number[], test: number[]) => Promise<Float64Array[]>;

function svmLearner(o: FeatureOptions, c: number, epochs = 8, sub = true): Learner {
  return async (train, test) => {
    const docs = featurize(o);
    const dims = 1 << o.bits;
    const idf = idfOf(docs, train, dims);
    const xs = train.map((i) => weighC(docs[i] as Counts, idf, sub));
    const lab = Int32Array.from(train.map((i) => labels[i] as number));
    const m = await trainLinear(xs, lab, classes, dims, { c, epochs });
    return test.map((i) => marginsOf(m.weights, dims, weighC(docs[i] as Counts, idf, sub), K));
  };
}

async function cv(
  name: string,
  learners: Learner[],
  weights?: number[],
): Promise<Float64Array[][]> {
  const t = performance.now();
  const all: Float64Array[][] = learners.map(() => new Array<Float64Array>(n));
  for (let f = 0; f < RUN_FOLDS; f++) {
    const { train, test } = foldRows(f);
    for (const [li, l] of learners.entries()) {
      const ms = await l(train, test);
      for (const [q, i] of test.entries()) (all[li] as Float64Array[])[i] = ms[q] as Float64Array;
    }
  }
  report(name, all, weights, (performance.now() - t) / 1000);
  return all;
}
function acc(all: Float64Array[][], weights?: number[]): number {
  let ok = 0;
  let seen = 0;
  for (let i = 0; i < n; i++) {
    if (!all[0]?.[i]) continue;
    seen++;
    const s = new Float64Array(K);
    for (const [li, a] of all.entries()) {
      const m = a[i] as Float64Array;
      for (let c = 0; c < K; c++) s[c] = (s[c] as number) + (weights?.[li] ?? 1) * (m[c] as number);
    }
    let b = 0;
    for (let c = 1; c < K; c++) if ((s[c] as number) > (s[b] as number)) b = c;
    if (b === labels[i]) ok++;
  }
  return ok / seen;
}
function report(
  name: string,
  all: Float64Array[][],
  weights: number[] | undefined,
  secs: number,
): void {
  const parts = all.length > 1 ? ` (alone: ${all.map((a) => acc([a]).toFixed(4)).join(', ')})` : '';
  console.log(
    `${name}: CV ${acc(all, weights).toFixed(4)}${parts} ${secs.toFixed(1)} s, load ${loadavg()[0]?.toFixed(1)}`,
  );
}

/** OvR L2-SVM by dual CD where class c sees x ∘ r_c (NB log-count ratios of the training rows); returns folded weights. */
function nbRatios(docs: Counts[], train: number[], dims: number, alpha: number): Float32Array[] {
  const p = Array.from({ length: K }, () => new Float32Array(dims));
  const tot = new Float64Array(K);
  const all = new Float32Array(dims);
  let sumAll = 0;
  for (const i of train) {
    const c = labels[i] as number;
    const d = docs[i] as Counts;
    for (const j of d.idx) {
      (p[c] as Float32Array)[j] = ((p[c] as Float32Array)[j] as number) + 1;
      all[j] = (all[j] as number) + 1;
    }
    tot[c] = (tot[c] as number) + d.idx.length;
    sumAll += d.idx.length;
  }
  return p.map((pc, c) => {
    const r = new Float32Array(dims);
    const qTot = sumAll - (tot[c] as number);
    const pNorm = (tot[c] as number) + alpha * dims;
    const qNorm = qTot + alpha * dims;
    for (let j = 0; j < dims; j++) {
      const a = ((pc[j] as number) + alpha) / pNorm;
      const b = ((all[j] as number) - (pc[j] as number) + alpha) / qNorm;
      r[j] = Math.log(a / b);
    }
    return r;
  });
}
function trainScaled(
  xs: SparseVector[],
  lab: Int32Array,
  dims: number,
  c: number,
  epochs: number,
  r: Float32Array[],
  beta: number,
): Float32Array {
  const stride = dims + 1;
  const weights = new Float32Array(K * stride);
  const n = xs.length;
  const diag = 1 / (2 * c);
  const alpha = new Float64Array(n);
  const qii = new Float64Array(n);
  const order = new Int32Array(n);
  let seed = 7;
  const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  for (let cl = 0; cl < K; cl++) {
    const rc = r[cl] as Float32Array;
    const off = cl * stride;
    const w = new Float64Array(stride);
    alpha.fill(0);
    for (let i = 0; i < n; i++) {
      let s = 1;
      const x = xs[i] as SparseVector;
      for (let k = 0; k < x.idx.length; k++) {
        const v = (x.val[k] as number) * (rc[x.idx[k] as number] as number);
        s += v * v;
      }
      qii[i] = s + diag;
      order[i] = i;
    }
    for (let e = 0; e < epochs; e++) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
      }
      let maxPg = 0;
      for (let o = 0; o < n; o++) {
        const i = order[o] as number;
        const x = xs[i] as SparseVector;
        const y = lab[i] === cl ? 1 : -1;
        let dot = w[dims] as number;
        for (let k = 0; k < x.idx.length; k++) {
          const j = x.idx[k] as number;
          dot += (w[j] as number) * (x.val[k] as number) * (rc[j] as number);
        }
        const a = alpha[i] as number;
        const g = y * dot - 1 + diag * a;
        const pg = a === 0 ? Math.min(g, 0) : g;
        if (Math.abs(pg) > maxPg) maxPg = Math.abs(pg);
        if (pg === 0) continue;
        const next = Math.max(a - g / (qii[i] as number), 0);
        const d = (next - a) * y;
        if (d === 0) continue;
        alpha[i] = next;
        for (let k = 0; k < x.idx.length; k++) {
          const j = x.idx[k] as number;
          w[j] = (w[j] as number) + d * (x.val[k] as number) * (rc[j] as number);
        }
        w[dims] = (w[dims] as number) + d;
      }
      if (maxPg < 1e-3) break;
    }
    // Fold r into the weights (margin = Σ w_j r_j x_j); beta interpolates towards the mean weight as NB-SVM does.
    let mean = 0;
    for (let j = 0; j < dims; j++) mean += Math.abs(w[j] as number);
    mean /= dims;
    for (let j = 0; j < dims; j++)
      weights[off + j] = ((1 - beta) * mean + beta * (w[j] as number)) * (rc[j] as number);
    weights[off + dims] = w[dims] as number;
  }
  return weights;
}
function nbsvmLearner(o: FeatureOptions, c: number, alphaNb = 1, beta = 1, epochs = 8): Learner {
  return async (train, test) => {
    const docs = featurize(o);
    const dims = 1 << o.bits;
    const idf = idfOf(docs, train, dims);
    const xs = train.map((i) => weighC(docs[i] as Counts, idf));
    const lab = Int32Array.from(train.map((i) => labels[i] as number));
    const r = nbRatios(docs, train, dims, alphaNb);
    const w = trainScaled(xs, lab, dims, c, epochs, r, beta);
    return test.map((i) => marginsOf(w, dims, weighC(docs[i] as Counts, idf), K));
  };
}

const W: FeatureOptions = { bits: 18, bigrams: true, charNgrams: null };
const C25: FeatureOptions = { bits: 18, bigrams: false, charNgrams: [2, 5] };

async function main(): Promise<void> {
  const exp = process.argv[2] ?? 'base';
  console.log(`n ${n}, classes ${K}, exp ${exp}`);
  if (exp === 'base') {
    await cv('svm W c0.5 + svm C25 c0.5', [svmLearner(W, 0.5), svmLearner(C25, 0.5)]);
  } else if (exp === 'fold') {
    // One fold (FOLD), each learner's margins saved for combining.
    const f = Number(process.env.FOLD ?? 0);
    const { train, test } = foldRows(f);
    const specs: Array<[string, Learner]> = [
      ['W22c1', svmLearner({ ...W, bits: 22 }, 1)],
      ['C20c0.5', svmLearner({ ...C25, bits: 20 }, 0.5)],
      ['WC22c0.5', svmLearner({ bits: 22, bigrams: true, charNgrams: [2, 5] }, 0.5)],
    ];
    for (const [name, l] of specs) {
      const t = performance.now();
      const ms = await l(train, test);
      writeFileSync(
        join(outDir, `m-${name}-f${f}.json`),
        JSON.stringify({ test, ms: ms.map((m) => [...m]) }),
      );
      console.log(
        `fold ${f} ${name}: ${acc([Object.assign(new Array<Float64Array>(n), Object.fromEntries(test.map((i, q) => [i, ms[q]])))]).toFixed(4)} ${((performance.now() - t) / 1000).toFixed(0)} s load ${loadavg()[0]?.toFixed(1)}`,
      );
    }
  } else if (exp === 'nb') {
    const W22 = { ...W, bits: 22 };
    for (const c of [0.5, 1]) await cv(`nbsvm W22 c${c}`, [nbsvmLearner(W22, c)]);
  } else if (exp === 'grid') {
    const got: Record<string, Float64Array[]> = {};
    const W22 = { ...W, bits: 22 };
    const C20 = { ...C25, bits: 20 };
    const WC = { bits: 22, bigrams: true, charNgrams: [2, 5] as [number, number] };
    for (const c of [0.25, 0.5, 1])
      got[`W22c${c}`] = (await cv(`svm W22 c${c}`, [svmLearner(W22, c)]))[0]!;
    for (const c of [0.25, 0.5, 1])
      got[`C20c${c}`] = (await cv(`svm C20 c${c}`, [svmLearner(C20, c)]))[0]!;
    for (const c of [0.25, 0.5, 1])
      got[`WCc${c}`] = (await cv(`svm WC22 c${c}`, [svmLearner(WC, c)]))[0]!;
    for (const a of Object.keys(got))
      for (const b of Object.keys(got))
        if (a < b) console.log(`  ${a} + ${b}: ${acc([got[a]!, got[b]!]).toFixed(4)}`);
  } else if (exp === 'bits') {
    for (const bits of [18, 20, 22])
      await cv(`svm W bits${bits} c0.5`, [svmLearner({ ...W, bits }, 0.5)]);
  } else if (exp === 'c') {
    for (const c of [0.1, 0.25, 0.5, 1]) await cv(`svm W c${c}`, [svmLearner(W, c)]);
    for (const c of [0.1, 0.25, 0.5, 1]) await cv(`svm C25 c${c}`, [svmLearner(C25, c)]);
  }
}
void main();
