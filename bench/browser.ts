/**
 * Browser benchmark: ms per epoch of `model.fit` on the reference MLPs of
 * test/browser/suite.ts (`TIMED_MLPS`), on every tfjs backend in headless
 * Chromium (Debian's chromium via playwright-core; WebGL and WebGPU run on
 * SwiftShader, i.e. on the CPU: no GPU here). Ratios are against the cpu
 * backend measured in the same run. This decides `backend.AUTO_ORDER`.
 * The page is the conformance page (a plain esbuild bundle of the packed
 * package), each backend in a fresh page.
 *
 *   npx tsx bench/browser.ts              # cpu, wasm, webgl; 5 timed epochs after a warm-up
 *   npx tsx bench/browser.ts --quick      # 2 timed epochs, the two small MLPs
 *   npx tsx bench/browser.ts --webgpu     # also webgpu: installs @tensorflow/tfjs-backend-webgpu@4.22.0
 *                                         # into a separate consumer project (needs the npm registry or cache),
 *                                         # and runs the conformance suite on it
 *   npx tsx bench/browser.ts --gpu        # use the machine's GPU instead of SwiftShader
 */
import {printTable, exitOnError} from './lib';
import {chromiumUnavailable, CHROMIUM_ARGS, launchChromium} from '../scripts/browser/chromium';
import {serveStatic} from '../scripts/browser/serve';
import {packedConsumer} from '../scripts/browser/packedConsumer';
import {buildConformancePage, callConformance, ConformanceMethod} from '../test/browser/page';
import {ConformanceReport, fixedBatchValues, TIMED_MLPS} from '../test/browser/suite';

const WEBGPU_PACKAGE = '@tensorflow/tfjs-backend-webgpu@4.22.0';

export async function run(argv: string[] = process.argv.slice(2)): Promise<void> {
  const quick = argv.includes('--quick');
  const webgpu = argv.includes('--webgpu');
  const gpu = argv.includes('--gpu');
  const epochs = quick ? 2 : 5;
  const which = quick ? [0, 1] : TIMED_MLPS.map((_, i) => i);
  const backends = ['cpu', 'wasm', 'webgl', ...(webgpu ? ['webgpu'] : [])];

  const unavailable = chromiumUnavailable();
  if (unavailable) {
    console.log(`\nbrowser bench skipped: ${unavailable}`);
    return;
  }
  const consumer = packedConsumer(webgpu ? [WEBGPU_PACKAGE] : []);
  if (consumer.skip) {
    console.log(`\nbrowser bench skipped: ${consumer.skip}`);
    return;
  }
  const {www} = await buildConformancePage(consumer.dir!, {webgpu});
  const server = await serveStatic(www);
  if (gpu) CHROMIUM_ARGS.splice(CHROMIUM_ARGS.indexOf('--use-angle=swiftshader'), 1);
  const browser = await launchChromium();
  const call = <T>(method: ConformanceMethod, ...args: unknown[]): Promise<T> => callConformance<T>(browser, server.url, method, args);

  try {
    const ms: Record<string, Record<string, number>> = {};
    for (const backend of backends) {
      try {
        ms[backend] = await call<Record<string, number>>('timing', backend, epochs, which);
      } catch (e) {
        console.log(`${backend}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    const names = which.map(i => TIMED_MLPS[i][0]);
    const measured = backends.filter(b => ms[b]);
    printTable(
      `ms per epoch of model.fit in headless Chromium (${gpu ? 'GPU' : 'SwiftShader WebGL/WebGPU'}), median of ${epochs} epochs; (ratio to cpu)`,
      ['MLP', ...measured, 'fastest'],
      names.map(name => {
        const base = ms.cpu?.[name];
        const fastest = measured.reduce((a, b) => (ms[b][name] < ms[a][name] ? b : a));
        return [name, ...measured.map(b => `${ms[b][name].toFixed(0)}${base ? ` (${(ms[b][name] / base).toFixed(2)})` : ''}`), fastest];
      }),
    );

    if (webgpu) {
      // Is webgpu a conforming backend? Fixed batch vs Node cpu, training steps, tensors.
      const tf = await import('@tensorflow/tfjs');
      const imb = await import('../src/index');
      await tf.setBackend('cpu');
      const want = fixedBatchValues(tf, imb);
      try {
        const report = await call<ConformanceReport>('run', 'webgpu', 0);
        const worst = Object.entries(report.fixedBatch).map(([k, v]) => [k, Math.max(...v.map((x, i) => Math.abs(x - want[k][i]) / Math.max(1, Math.abs(want[k][i]))))] as const)
          .sort((a, b) => b[1] - a[1]);
        console.log(`\nwebgpu conformance: selection ${JSON.stringify(report.selection)}; largest relative differences from Node cpu: ${worst.slice(0, 3).map(([k, d]) => `${k} ${d.toExponential(1)}`).join(', ')}; ` +
          `non-finite training results: ${Object.entries(report.training).filter(([, v]) => !Number.isFinite(v)).map(([k]) => k).join(', ') || 'none'}; leaked tensors: ${JSON.stringify(report.leaked)}`);
      } catch (e) {
        console.log(`\nwebgpu conformance failed: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

if (require.main === module) {
  exitOnError(run());
}
