/**
 * Page script for test/browser/report.test.ts (bundled by esbuild): the
 * comparison engine and the report renderer in a browser, on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import * as imb from '../../src';
import {blobs} from '../compare/fixtures';

async function compareInPage(): Promise<{runs: number; errors: number; sections: number; reliability: number; gmean: number}> {
  await tf.setBackend('cpu');
  const result = await imb.compare.run(blobs([60, 20]), {methods: ['ce', 'remix'], epochs: 2, repeats: 1, temperatureScale: true});
  const html = imb.report.renderHtml(result);
  document.open();
  document.write(html);
  document.close();
  return {
    runs: result.runs.length,
    errors: result.runs.filter(r => r.error).length,
    sections: document.querySelectorAll('section.method').length,
    reliability: document.querySelectorAll('section.method svg.chart.reliability').length,
    gmean: result.runs[0].evaluations[0].metrics.gmean,
  };
}

(window as unknown as {compareInPage: typeof compareInPage}).compareInPage = compareInPage;
