/**
 * The browser example (examples/browser/): built with its own build script,
 * served on 127.0.0.1, run in headless Chromium on cpu, wasm and webgl with
 * a few epochs. Asserted: a finished row per method with finite metrics, no
 * tensor growth across epochs, every tensor freed at the end, one reliability
 * diagram per method (the report's, bars in the method's colour), no page error. Screenshots: test-output/browser-<backend>.png.
 * Skips, saying why, when Chromium is not installed.
 */
import * as fs from 'fs';
import * as path from 'path';
import type {Browser} from 'playwright-core';
import {buildBrowserExample} from '../../examples/browser/build';
import {chromiumUnavailable, launchChromium, pageErrors} from '../../scripts/browser/chromium';
import {serveStatic, StaticServer} from '../../scripts/browser/serve';

const OUTPUT = path.resolve(__dirname, '..', '..', 'test-output');
const EPOCHS = 2;

const noChromium = chromiumUnavailable();
if (noChromium) console.warn(`SKIPPED test/browser/example.test.ts: ${noChromium}`);
const describeBrowser = noChromium ? describe.skip : describe;

interface Row {
  method: string;
  status: string;
  epoch: number;
  metrics: Record<string, number>;
  msPerEpoch: number;
  tensorsAtEpochEnd: number[];
}

describeBrowser(`examples/browser in headless Chromium${noChromium ? ` (SKIPPED: ${noChromium})` : ''}`, () => {
  let browser: Browser;
  let server: StaticServer;

  beforeAll(async () => {
    const dir = await buildBrowserExample(fs.mkdtempSync(path.join(require('os').tmpdir(), 'tfjs-imbalanced-example-')));
    server = await serveStatic(dir);
    browser = await launchChromium();
    fs.mkdirSync(OUTPUT, {recursive: true});
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const backend of ['cpu', 'wasm', 'webgl']) {
    it(`${backend}: trains CE, DWB and ReMix and shows the results and reliability diagrams`, async () => {
      const context = await browser.newContext({viewport: {width: 1280, height: 900}});
      const page = await context.newPage();
      const errors = pageErrors(page);
      try {
        await page.goto(`${server.url}?backend=${backend}&epochs=${EPOCHS}&autorun=1`);
        await page.waitForFunction(() => ['done', 'error'].includes((window as unknown as {exampleState: {status: string}}).exampleState?.status), null, {timeout: 240_000, polling: 250});
        const state = await page.evaluate(() => (window as unknown as {exampleState: unknown}).exampleState) as {
          status: string; backend: string; rows: Row[]; tensorsBefore: number; tensorsAfter: number; error?: string;
        };
        await page.screenshot({path: path.join(OUTPUT, `browser-${backend}.png`), fullPage: true});
        expect(state.error ?? null).toBeNull();
        expect(errors).toEqual([]);
        expect(state).toMatchObject({status: 'done', backend});
        expect(state.rows.map(r => [r.method, r.status, r.epoch])).toEqual([['CE', 'done', EPOCHS], ['DWB', 'done', EPOCHS], ['ReMix', 'done', EPOCHS]]);
        for (const r of state.rows) {
          const values = ['val_balancedAccuracy', 'val_f1', 'val_gmean', 'val_ece', 'val_brier'].map(k => r.metrics[k]);
          expect([r.method, values.every(Number.isFinite)]).toEqual([r.method, true]);
          expect([r.method, new Set(r.tensorsAtEpochEnd).size]).toEqual([r.method, 1]); // no growth across epochs
        }
        expect(state.tensorsAfter).toBe(state.tensorsBefore);
        expect(await page.locator('.diagram svg.chart.reliability').count()).toBe(3);
        // The report's diagram, coloured per method through --chart-accent on its container (imb.report.CHART_CSS).
        const barColours = await page.locator('.diagram').evaluateAll(boxes => boxes.map(b => getComputedStyle(b.querySelector('svg.chart rect.acc')!).fill));
        expect(barColours).toEqual(['rgb(122, 133, 153)', 'rgb(59, 111, 216)', 'rgb(31, 158, 116)']);
        expect(await page.locator('#results tr').count()).toBe(3);
      } finally {
        await context.close();
      }
    }, 300_000);
  }
});
