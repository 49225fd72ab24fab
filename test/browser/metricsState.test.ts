import * as esbuild from 'esbuild';
import * as tf from '@tensorflow/tfjs';
import * as path from 'path';
import {existsSync} from 'fs';
import * as metrics from '../../src/metrics';
import {Random} from '../../src/core/random';

// Metric state across environments: two shards evaluated in Chromium (page bundle of the main entry),
// two in Node, merged in Node: equal to one call in Node, for every metric in the page's list.
// Needs Chromium (Debian's /usr/bin/chromium or CHROMIUM_PATH); skipped with a note without it.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const run = existsSync(chromiumPath) ? it : it.skip;
if (!existsSync(chromiumPath)) console.warn(`browser metric-state test skipped: no Chromium at ${chromiumPath}`);

run('states from a browser page merge with Node shards into the one-call values', async () => {
  const rows = 2000;
  const C = 4;
  const rng = new Random(9);
  const labels = Array.from({length: rows}, () => (rng.uniform() < 0.1 ? 3 : rng.int(3)));
  const probs = Array.from(Float32Array.from({length: rows * C}, () => rng.uniform()));
  for (let i = 0; i < rows; i++) {
    const row = probs.slice(i * C, (i + 1) * C);
    const s = row.reduce((a, b) => a + b, 0);
    row.forEach((v, k) => (probs[i * C + k] = Math.fround(v / s)));
  }
  const bundle = await esbuild.build({
    entryPoints: [path.join(__dirname, 'metricsStatePage.ts')], bundle: true, write: false, format: 'iife', platform: 'browser', logLevel: 'silent',
  });
  const {chromium} = await import('playwright-core');
  const browser = await chromium.launch({executablePath: chromiumPath, args: ['--no-sandbox']});
  let pageStates: metrics.MetricState[][];
  try {
    const page = await browser.newPage();
    await page.addScriptTag({content: bundle.outputFiles[0].text});
    const shard = (start: number, end: number) =>
      page.evaluate(([l, p, c, a, b]) => (window as unknown as {shardStates: (...x: unknown[]) => Promise<unknown>}).shardStates(l, p, c, a, b), [labels, probs, C, start, end] as const);
    // JSON.stringify in the page, JSON.parse here: what a browser would send to a server.
    pageStates = [JSON.parse(JSON.stringify(await shard(0, 700))), JSON.parse(JSON.stringify(await shard(700, 900)))] as metrics.MetricState[][];
  } finally {
    await browser.close();
  }
  const nodeShard = (start: number, end: number) => {
    const yTrue = tf.tensor1d(labels.slice(start, end), 'int32');
    const yPred = tf.tensor2d(probs.slice(start * C, end * C), [end - start, C]);
    const ms = pageStates[0].map(s => metrics.fromConfig(s.config));
    ms.forEach(m => m.update(yTrue, yPred));
    tf.dispose([yTrue, yPred]);
    return ms;
  };
  const nodeA = nodeShard(900, 1500);
  const nodeB = nodeShard(1500, rows);
  const one = nodeShard(0, rows);
  const merged = pageStates[1].map((s, j) => {
    const m = metrics.fromState(s);
    m.merge(nodeB[j]);
    m.merge(pageStates[0][j]);
    m.merge(nodeA[j].getState());
    return m;
  });
  expect(merged.map(m => m.config)).toEqual(one.map(m => m.config));
  expect(merged.map(m => m.result())).toEqual(one.map(m => m.result()));
}, 120000);
