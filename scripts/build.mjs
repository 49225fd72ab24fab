// Builds the package: CommonJS (dist/cjs), ES modules (dist/esm) and type
// declarations (dist/types), each by tsc from src/. Then fixes what tsc cannot
// emit for ES modules: Node's ESM loader needs explicit file extensions on
// relative imports, dist/esm needs {"type": "module"}, and the one module that
// finds the package's files (src/node/moduleDir.ts) reads import.meta.url there.
import {execFileSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');

fs.rmSync(dist, {recursive: true, force: true});
for (const config of ['tsconfig.build.json', 'tsconfig.esm.json', 'tsconfig.types.json']) {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, config)], {stdio: 'inherit'});
}

/** Every file under `dir` whose name ends with `ext`. */
function walk(dir, ext) {
  return fs.readdirSync(dir, {withFileTypes: true}).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

// './x' -> './x.js' or './x/index.js', whichever exists next to the importing file.
const esm = path.join(dist, 'esm');
const specifier = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g;
for (const file of walk(esm, '.js')) {
  const dir = path.dirname(file);
  const text = fs.readFileSync(file, 'utf8');
  const fixed = text.replace(specifier, (match, lead, quote, spec) => {
    if (/\.(c|m)?js$/.test(spec)) return match;
    if (fs.existsSync(path.join(dir, `${spec}.js`))) return `${lead}${quote}${spec}.js${quote}`;
    if (fs.existsSync(path.join(dir, spec, 'index.js'))) return `${lead}${quote}${spec}/index.js${quote}`;
    throw new Error(`build: cannot resolve ${spec} from ${path.relative(root, file)}`);
  });
  if (fixed !== text) fs.writeFileSync(file, fixed);
}
fs.writeFileSync(path.join(esm, 'package.json'), '{"type": "module"}\n');
fs.writeFileSync(path.join(dist, 'cjs', 'package.json'), '{"type": "commonjs"}\n');
fs.writeFileSync(
  path.join(esm, 'node', 'moduleDir.js'),
  [
    '// ESM build of src/node/moduleDir.ts (written by scripts/build.mjs): the directory of this module.',
    "import {fileURLToPath} from 'url';",
    'export function moduleDir() {',
    "  return fileURLToPath(new URL('.', import.meta.url));",
    '}',
    '',
  ].join('\n'),
);
fs.rmSync(path.join(esm, 'node', 'moduleDir.js.map'), {force: true});
console.log('built dist/cjs, dist/esm, dist/types');
