/**
 * Builds the browser example into examples/browser/dist/: main.ts bundled by
 * esbuild as a consumer would (`--bundle --format=esm --platform=browser`),
 * index.html, the shipped satimage CSV (fetched by the page) and
 * tfjs-backend-wasm's .wasm files. `tfjs-imbalanced` resolves to this
 * repository's src/ through the `paths` entry of tsconfig.json.
 *
 *   npm run example:browser                  # build only
 *   npm run example:browser -- --serve       # build, then serve on http://127.0.0.1:8080/
 *   npm run example:browser -- --serve --port 9000
 */
import * as fs from 'fs';
import * as path from 'path';
import {bundleForBrowser, copyWasmFiles} from '../../scripts/browser/bundle';
import {serveStatic} from '../../scripts/browser/serve';

const HERE = __dirname;
const REPO = path.resolve(HERE, '..', '..');

/** Builds the example into `outDir` (default examples/browser/dist); returns `outDir`. */
export async function buildBrowserExample(outDir = path.join(HERE, 'dist')): Promise<string> {
  fs.mkdirSync(outDir, {recursive: true});
  await bundleForBrowser({entry: path.join(HERE, 'main.ts'), outfile: path.join(outDir, 'main.js'), minify: true});
  fs.copyFileSync(path.join(HERE, 'index.html'), path.join(outDir, 'index.html'));
  fs.copyFileSync(path.join(REPO, 'data', 'satimage.csv'), path.join(outDir, 'satimage.csv'));
  copyWasmFiles(REPO, outDir);
  return outDir;
}

async function main(argv: string[]): Promise<void> {
  const out = await buildBrowserExample();
  console.log(`built ${path.relative(process.cwd(), out)}/`);
  if (!argv.includes('--serve')) return;
  const i = argv.indexOf('--port');
  const server = await serveStatic(out, i >= 0 ? Number(argv[i + 1]) : 8080);
  console.log(`serving on ${server.url} (Ctrl-C to stop)`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch(e => {
    console.error(e);
    process.exit(1);
  });
}
