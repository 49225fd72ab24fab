/**
 * The comparison report in headless Chromium (Debian's /usr/bin/chromium, or
 * CHROMIUM_PATH, through playwright-core):
 * 1. a report rendered in Node, opened as a file: the table and one
 *    reliability diagram per method are there, nothing is fetched, no console
 *    errors, no horizontal scrolling at 1280 px, and it prints (four figures
 *    per row on A4 landscape). Saves test-output/report.png and .pdf to look at.
 * 2. the engine and the renderer running in the page itself (esbuild bundle of
 *    comparePage.ts): the browser-safe entry really runs in a browser.
 * Skipped, with a message, when Chromium is missing.
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {BrowserContext, chromium} from 'playwright-core';
import {run} from '../../src/compare/run';
import {renderHtml} from '../../src/report/render';
import {blobs} from '../compare/fixtures';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = path.resolve(__dirname, '..', '..', 'test-output');
const available = fs.existsSync(CHROMIUM);
if (!available) console.warn(`report browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

/** A fresh headless Chromium with its own profile directory; closed and removed after `use`. */
async function withChromium(use: (context: BrowserContext) => Promise<void>): Promise<void> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-imbalanced-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: {width: 1280, height: 900},
  });
  try {
    await use(context);
  } finally {
    await context.close();
    fs.rmSync(profile, {recursive: true, force: true});
  }
}

(available ? describe : describe.skip)('the report in headless Chromium', () => {
  it('shows the table and a reliability diagram per method, fetches nothing, logs no error, prints', async () => {
    const result = await run(blobs([70, 20, 14], 4, 2), {
      methods: ['ce', 'wce', 'smote'], epochs: 3, repeats: 2, temperatureScale: true, dataName: 'three blobs',
    });
    fs.mkdirSync(OUT, {recursive: true});
    const file = path.join(OUT, 'report.html');
    fs.writeFileSync(file, renderHtml(result));

    await withChromium(async context => {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', m => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', e => problems.push(`page error: ${e.message}`));
      page.on('request', r => {
        if (!r.url().startsWith('file:')) problems.push(`request: ${r.url()}`);
      });
      await page.goto(`file://${file}`);
      expect(await page.locator('table.results tbody tr').count()).toBe(6);
      expect(await page.locator('section.method').count()).toBe(3);
      for (let i = 0; i < 3; i++) {
        const section = page.locator('section.method').nth(i);
        expect(await section.locator('svg.chart.reliability').count()).toBe(1);
        const box = await section.locator('svg.chart.reliability').boundingBox();
        expect(box!.width).toBeGreaterThan(250); // drawn at its natural size, not squeezed
      }
      // Everything fits the 1280 px window: no horizontal scroll bar.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
      await page.screenshot({path: path.join(OUT, 'report.png'), fullPage: true});

      await page.emulateMedia({media: 'print'});
      // A4 landscape minus margins is about 1047 px: the four figures of a method share one row.
      await page.setViewportSize({width: 1047, height: 740});
      const row = await page.locator('section.method').first().locator('figure').evaluateAll(figs => figs.map(f => Math.round(f.getBoundingClientRect().top)));
      expect(new Set(row).size).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1047);
      const pdf = await page.pdf({path: path.join(OUT, 'report.pdf'), printBackground: true});
      expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
      expect(problems).toEqual([]);
    });
  }, 120000);

  it('runs the comparison engine and renders the report inside the page', async () => {
    const bundle = await esbuild.build({
      entryPoints: [path.join(__dirname, 'comparePage.ts')], bundle: true, write: false, format: 'iife', platform: 'browser', logLevel: 'silent',
    });
    await withChromium(async context => {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', e => errors.push(e.message));
      page.on('console', m => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.setContent(`<!doctype html><script>${bundle.outputFiles[0].text.replace(/<\/script/gi, '<\\/script')}</script>`);
      const r = await page.evaluate(() => (window as unknown as {compareInPage: () => Promise<Record<string, number>>}).compareInPage());
      expect(r).toMatchObject({runs: 2, errors: 0, sections: 2, reliability: 2});
      // The same seeded run in Node (cpu backend) gives the same number.
      const node = await run(blobs([60, 20]), {methods: ['ce', 'remix'], epochs: 2, repeats: 1, temperatureScale: true});
      expect(r.gmean).toBeCloseTo(node.runs[0].evaluations[0].metrics.gmean, 6);
      expect(errors).toEqual([]);
    });
  }, 120000);
});
