import { describe, expect, it } from 'vitest';
import type { FeatureOptions } from './features';
import {
  classify,
  packClassifier,
  trainClassifier,
  unpackClassifier,
  type Example,
  type StoredMeta,
} from './model';

const FEATURES: FeatureOptions[] = [
  { bits: 22, bigrams: true, charNgrams: null },
  { bits: 16, bigrams: false, charNgrams: [2, 5] },
];

function history(): Example[] {
  const topics: Array<[string, string[]]> = [
    ['hardware', ['printer jammed', 'laptop screen broken', 'keyboard not working', '打印机卡纸']],
    ['access', ['reset my password', 'account locked out', 'need vpn access', '密码重置']],
    ['storage', ['disk quota full', 'shared drive space', 'backup of files', '邮箱容量已满']],
  ];
  const out: Example[] = [];
  for (let i = 0; i < 60; i++) {
    const [category, phrases] = topics[i % topics.length] as [string, string[]];
    const p = phrases[i % phrases.length] as string;
    out.push({ text: `${p} please help ticket ${i}`, labels: { category } });
  }
  return out;
}

describe('classifier model (pure)', () => {
  it('stores only the buckets the history has, and answers the same after pack and unpack', async () => {
    const model = await trainClassifier(history(), {
      features: FEATURES,
      c: [1, 0.5],
      epochs: 8,
      folds: 5,
      minExamples: 20,
    });
    expect(model.evaluation.category?.accuracy).toBeGreaterThan(0.9);
    const { meta, blob } = packClassifier(model);
    // 2^22 buckets, but only the few hundred the history has are columns.
    expect(meta.columns?.[0]?.count).toBeLessThan(2_000);
    expect(blob.length).toBeLessThan(200_000);
    const back = unpackClassifier(
      JSON.parse(JSON.stringify(meta)) as StoredMeta,
      Buffer.from(blob.toString('base64'), 'base64'),
    );
    for (const text of [
      'the printer is jammed again',
      '密码忘了 reset password',
      'unknown words',
    ]) {
      expect(classify(back, text)).toEqual(classify(model, text));
    }
    expect(classify(back, 'printer jammed on floor 3').category?.[0]?.value).toBe('hardware');
  });

  it('still reads a model stored before decision 62 (every bucket a column, no `columns`)', () => {
    const bits = 4;
    const dims = 1 << bits;
    const classes = ['a', 'b'];
    const idf = new Float32Array(dims).fill(1);
    const weights = new Float32Array(classes.length * (dims + 1));
    // Class b's bias wins whatever the text.
    weights[dims + 1 + dims] = 2;
    const blob = Buffer.concat([Buffer.from(idf.buffer), Buffer.from(weights.buffer)]);
    const meta: StoredMeta = {
      sets: [{ bits, bigrams: false, charNgrams: null }],
      fields: { category: { classes, scale: 1 } },
      evaluation: {},
    };
    const model = unpackClassifier(meta, blob);
    expect(classify(model, 'any text').category?.[0]?.value).toBe('b');
  });
});
