/**
 * The classifier's model, pure (no IO): TF-IDF over hashed features (sublinear tf, smoothed
 * idf, L2 norm), one-vs-rest linear SVMs (L2-regularised, squared hinge) trained by dual
 * coordinate descent (liblinear's method), and a softmax over the margins whose temperature is
 * fitted on held-out folds (the calibrated confidences).
 */

/** A document as sparse TF-IDF: indices ascending, values L2-normalised. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

export interface LinearModel {
  classes: string[];
  dims: number;
  /** classes × (dims + 1): each class's weights, its bias last. */
  weights: Float32Array;
  /** Softmax temperature over the margins (confidence = softmax(margin × scale)). */
  scale: number;
}

/** A small deterministic generator (training is repeatable: the same data gives the same model). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface TrainOptions {
  /** The SVM's C (larger: less regularisation). */
  c: number;
  epochs: number;
  seed?: number;
  /**
   * Asked every few hundred steps: a promise makes training wait for it (the server yields to
   * its event loop so commands are answered between slices); null goes on.
   */
  pause?: () => Promise<void> | null;
}

/**
 * One-vs-rest L2-loss linear SVMs by dual coordinate descent (Hsieh et al. 2008), a bias
 * feature of value 1. `labels[i]` indexes `classes`.
 */
export async function trainLinear(
  xs: readonly SparseVector[],
  labels: Int32Array,
  classes: string[],
  dims: number,
  opts: TrainOptions,
): Promise<LinearModel> {
  const stride = dims + 1;
  const weights = new Float32Array(classes.length * stride);
  const n = xs.length;
  const diag = 1 / (2 * opts.c);
  const qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 1; // the bias feature
    const v = (xs[i] as SparseVector).val;
    for (let k = 0; k < v.length; k++) s += (v[k] as number) * (v[k] as number);
    qii[i] = s + diag;
  }
  const order = new Int32Array(n);
  const alpha = new Float64Array(n);
  const random = rng(opts.seed ?? 1);
  for (let c = 0; c < classes.length; c++) {
    const off = c * stride;
    alpha.fill(0);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
      let maxPg = 0;
      for (let o = 0; o < n; o++) {
        if ((o & 255) === 0 && opts.pause) {
          const p = opts.pause();
          if (p) await p;
        }
        const i = order[o] as number;
        const x = xs[i] as SparseVector;
        const y = labels[i] === c ? 1 : -1;
        let dot = weights[off + dims] as number;
        for (let k = 0; k < x.idx.length; k++)
          dot += (weights[off + (x.idx[k] as number)] as number) * (x.val[k] as number);
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
          const w = off + (x.idx[k] as number);
          weights[w] = (weights[w] as number) + d * (x.val[k] as number);
        }
        weights[off + dims] = (weights[off + dims] as number) + d;
      }
      if (maxPg < 1e-3) break;
    }
  }
  return { classes, dims, weights, scale: 1 };
}

/** Each class's margin for one document. */
export function margins(model: LinearModel, x: SparseVector): Float64Array {
  const stride = model.dims + 1;
  const out = new Float64Array(model.classes.length);
  for (let c = 0; c < model.classes.length; c++) {
    const off = c * stride;
    let s = model.weights[off + model.dims] as number;
    for (let k = 0; k < x.idx.length; k++)
      s += (model.weights[off + (x.idx[k] as number)] as number) * (x.val[k] as number);
    out[c] = s;
  }
  return out;
}

/** Softmax of margins × scale. */
export function softmax(m: Float64Array, scale: number): Float64Array {
  let max = -Infinity;
  for (const v of m) if (v > max) max = v;
  const out = new Float64Array(m.length);
  let sum = 0;
  for (let i = 0; i < m.length; i++) {
    const e = Math.exp(((m[i] as number) - max) * scale);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < m.length; i++) out[i] = (out[i] as number) / sum;
  return out;
}

export function argmax(m: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < m.length; i++) if ((m[i] as number) > (m[best] as number)) best = i;
  return best;
}

/** The softmax scale that minimises the negative log-likelihood of held-out margins. */
export function fitScale(held: ReadonlyArray<{ margins: Float64Array; label: number }>): number {
  let best = 1;
  let bestNll = Infinity;
  for (let s = 0.5; s <= 30; s *= 1.15) {
    let nll = 0;
    for (const h of held)
      nll -= Math.log(Math.max(softmax(h.margins, s)[h.label] as number, 1e-12));
    if (nll < bestNll) {
      bestNll = nll;
      best = s;
    }
  }
  return best;
}
