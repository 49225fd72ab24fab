/**
 * The conformance page: a consumer-style entry (importing `@tensorflow/tfjs`,
 * `@tensorflow/tfjs-backend-wasm` and `tfjs-imbalanced` from a consumer
 * project's node_modules) that exposes test/browser/suite.ts as
 * `window.conformance`, bundled with a plain esbuild browser build next to
 * an index.html and the .wasm files. Used by conformance.test.ts and
 * bench/browser.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import type {Browser} from 'playwright-core';
import {bundleForBrowser, copyWasmFiles, packageCopies} from '../../scripts/browser/bundle';
import {pageErrors} from '../../scripts/browser/chromium';

/** What `window.conformance` offers (each call resolves to JSON). */
export type ConformanceMethod = 'run' | 'autoInit' | 'initError' | 'timing' | 'autoOrder';

/**
 * Opens the page at `url` in a fresh context of `browser` (its own IndexedDB,
 * its own tfjs engine), calls `window.conformance[method](...args)` and returns
 * the result; a failure carries the page's own errors.
 */
export async function callConformance<T>(browser: Browser, url: string, method: ConformanceMethod, args: unknown[], timeoutMs = 60_000): Promise<T> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = pageErrors(page);
  try {
    await page.goto(url);
    await page.waitForFunction(() => 'conformance' in window, null, {timeout: timeoutMs});
    return await page.evaluate(([m, a]) => (window as unknown as Record<string, Record<string, (...x: unknown[]) => unknown>>).conformance[m as string](...(a as unknown[])), [method, args] as const) as T;
  } catch (e) {
    throw new Error(`${(e as Error).message}\npage errors:\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
}

/** Writes the entry and index.html into `<consumerDir>/conformance/` and bundles; returns the directory to serve. */
export async function buildConformancePage(consumerDir: string, options: {webgpu?: boolean} = {}): Promise<{www: string; copies: Map<string, string[]>}> {
  const dir = path.join(consumerDir, 'conformance');
  const www = path.join(dir, 'www');
  fs.mkdirSync(www, {recursive: true});
  const suite = path.join(__dirname, 'suite.ts').split(path.sep).join('/');
  fs.writeFileSync(path.join(dir, 'entry.ts'), [
    "import * as tf from '@tensorflow/tfjs';",
    "import '@tensorflow/tfjs-backend-wasm';",
    ...(options.webgpu ? ["import '@tensorflow/tfjs-backend-webgpu';"] : []),
    "import * as imb from 'tfjs-imbalanced';",
    `import {epochTimes, runConformance} from '${suite}';`,
    '(window as unknown as Record<string, unknown>).conformance = {',
    '  run: (backend: string, timingEpochs: number) =>',
    '    runConformance(tf, imb as never, backend, timingEpochs, name => `indexeddb://tfjs-imbalanced-conformance-${backend}-${name}`),',
    '  autoInit: () => imb.backend.init(),',
    '  autoOrder: () => imb.backend.AUTO_ORDER,',
    '  initError: (choice: string) => imb.backend.init(choice as never).then(() => null, (e: Error) => e.message),',
    '  timing: async (backend: string, epochs: number, which?: number[]) => {',
    '    await imb.backend.init(backend as never);',
    '    return epochTimes(tf, epochs, which);',
    '  },',
    '};',
    '(window as unknown as Record<string, unknown>).libraries = {tf, imb}; // for poking around in devtools',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(www, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>tfjs-imbalanced conformance</title><script type="module" src="conformance.js"></script>\n');
  const {metafile} = await bundleForBrowser({entry: path.join(dir, 'entry.ts'), outfile: path.join(www, 'conformance.js')});
  copyWasmFiles(consumerDir, www);
  return {www, copies: packageCopies(metafile)};
}
