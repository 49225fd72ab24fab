/**
 * The packed package in headless Chromium on cpu, wasm and webgl (SwiftShader:
 * no GPU needed). A consumer-style entry importing `@tensorflow/tfjs`,
 * `@tensorflow/tfjs-backend-wasm` and `tfjs-imbalanced` from the packed
 * install (scripts/browser/packedConsumer.ts) is bundled with a plain esbuild
 * browser build, served on 127.0.0.1 with the .wasm files, and runs
 * test/browser/suite.ts once per backend in a fresh page. Asserted: every
 * loss and metric on a fixed batch within 1e-4 of Node's cpu values, finite
 * training results, `io.save` / `io.load` through `indexeddb://` giving
 * identical predictions for a model compiled with each loss, same-seed
 * transforms equal across backends, no tensor left over, and what
 * `backend.init` picks.
 *
 * Skips, saying why, when Chromium is not installed or npm cannot install
 * the consumer project offline.
 */
import * as tf from '@tensorflow/tfjs';
import type {Browser} from 'playwright-core';
import * as imb from '../../src/index';
import {chromiumUnavailable, launchChromium} from '../../scripts/browser/chromium';
import {serveStatic, StaticServer} from '../../scripts/browser/serve';
import {packedConsumer} from '../../scripts/browser/packedConsumer';
import {buildConformancePage, callConformance, ConformanceMethod} from './page';
import {ConformanceReport, fixedBatchValues, LOSS_CASES} from './suite';

const BACKENDS = ['cpu', 'wasm', 'webgl'] as const;
const TOLERANCE = 1e-4;

const noChromium = chromiumUnavailable();
const consumer = noChromium ? null : packedConsumer();
const skip = noChromium ?? consumer?.skip;
if (skip) console.warn(`SKIPPED test/browser/conformance.test.ts: ${skip}`);
const describeBrowser = skip ? describe.skip : describe;

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(b));
}

/** Entries of `got` that differ from `want` by more than the tolerance (or differ in length / presence). */
function mismatches(got: Record<string, number[]>, want: Record<string, number[]>): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(want), ...Object.keys(got)])) {
    const g = got[key];
    const w = want[key];
    if (!g || !w || g.length !== w.length) out.push(`${key}: ${g?.length ?? 'missing'} values vs ${w?.length ?? 'missing'}`);
    else {
      const i = g.findIndex((v, j) => !close(v, w[j]));
      if (i >= 0) out.push(`${key}[${i}]: ${g[i]} vs ${w[i]}`);
    }
  }
  return out;
}

describeBrowser(`the packed package in headless Chromium${skip ? ` (SKIPPED: ${skip})` : ''}`, () => {
  let browser: Browser;
  let server: StaticServer;
  let copies: Map<string, string[]>;
  const reports: Partial<Record<(typeof BACKENDS)[number], ConformanceReport>> = {};

  beforeAll(async () => {
    const page = await buildConformancePage(consumer!.dir!);
    copies = page.copies;
    server = await serveStatic(page.www);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Calls `conformance[method](...args)` in a fresh page (own IndexedDB, own tfjs engine). */
  const inPage = <T>(method: ConformanceMethod, ...args: unknown[]): Promise<T> => callConformance<T>(browser, server.url, method, args, 30_000);

  it('the page bundle holds one copy of tfjs-core, -layers, -data and of the package', () => {
    for (const pkg of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-data', 'tfjs-imbalanced']) {
      expect([pkg, copies.get(pkg)?.length]).toEqual([pkg, 1]);
    }
  });

  it('backend.init() without a preference picks the first registered backend of AUTO_ORDER; a missing one is a clear error, never a load', async () => {
    const selection = await inPage<imb.backend.BackendSelection>('autoInit');
    const registered = ['wasm', 'webgl', 'cpu'];
    expect(selection).toMatchObject({choice: imb.backend.AUTO_ORDER.find(c => registered.includes(c)), source: 'registered'});
    for (const s of selection.skipped) expect(s.reason.length).toBeGreaterThan(0);
    // The page registers no webgpu or node backend, and a browser bundle cannot load one.
    expect(await inPage<string | null>('initError', 'webgpu')).toMatch(/backend 'webgpu' is not available: .*not registered/);
    expect(await inPage<string | null>('initError', 'node')).toMatch(/import '@tensorflow\/tfjs-node' in your app/);
  }, 60_000);

  for (const backend of BACKENDS) {
    it(`${backend}: backend.init, every loss and metric within 1e-4 of Node, training steps finite, io through indexeddb://, no tensor left over`, async () => {
      const report = await inPage<ConformanceReport>('run', backend, 0);
      reports[backend] = report;
      expect(report.backend).toBe(backend);
      expect(report.selection).toMatchObject({choice: backend, backend, source: 'registered'});
      expect(mismatches(report.fixedBatch, fixedBatchValues(tf, imb))).toEqual([]);
      expect(Object.entries(report.training).filter(([, v]) => !Number.isFinite(v))).toEqual([]);
      expect(report.training).toMatchObject({'balance.maxShareGap': 0, 'smote.countGap': 0, 'smote.rows': expect.any(Number)});
      expect(report.training['temperature.nllAfter']).toBeLessThanOrEqual(report.training['temperature.nllBefore']);
      // io.save to indexeddb:// then io.load: identical predictions and the same loss config, for every loss.
      const io = Object.entries(report.io);
      expect(io.map(([name]) => name)).toEqual(LOSS_CASES.map(c => c.name));
      expect(io.filter(([, r]) => r.maxDiff !== 0 || !r.sameConfig)).toEqual([]);
      for (const [, r] of io) expect(r.metrics).toEqual(['loss', 'gmean', 'ece']);
      expect(report.leaked).toEqual({fixedBatch: 0, fitRemixTemperature: 0, balance: 0, smote: 0, io: 0, total: 0});
    }, 180_000);
  }

  it('same seed, same ReMix batch, balanced batches and SMOTE rows on every backend', () => {
    const ran = BACKENDS.filter(b => reports[b]);
    expect(ran).toEqual([...BACKENDS]);
    for (const b of ran.slice(1)) expect([b, mismatches(reports[b]!.seeded, reports.cpu!.seeded)]).toEqual([b, []]);
  });
});
