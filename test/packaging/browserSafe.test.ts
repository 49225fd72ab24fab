/**
 * The main entry must bundle for a browser: nothing reachable from
 * src/index.ts may import a Node built-in or read `__dirname` / `process`
 * (Node-only code lives under src/node/, behind src/node.ts). This walks the
 * static import graph of the sources; the packed-tarball consumer test checks
 * the built package with esbuild.
 */
import * as fs from 'fs';
import * as path from 'path';
import {VERSION} from '../../src/version';

const SRC = path.resolve(__dirname, '..', '..', 'src');
const NODE_BUILTINS = new Set(['fs', 'path', 'zlib', 'os', 'child_process', 'worker_threads', 'url', 'crypto', 'stream', 'util', 'module', 'http', 'https', 'net', 'readline', 'tty', 'v8', 'perf_hooks']);

/** Relative and bare import specifiers of a TypeScript source. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  }
  return out;
}

function resolveLocal(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  throw new Error(`cannot resolve ${spec} from ${from}`);
}

/** Every source file reachable from `entry` by static imports. */
function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    const specs = importsOf(file);
    seen.set(file, specs);
    for (const s of specs) if (s.startsWith('.')) stack.push(resolveLocal(file, s));
  }
  return seen;
}

describe('the main entry is browser-safe', () => {
  const graph = reachable(path.join(SRC, 'index.ts'));
  const rel = (f: string) => path.relative(SRC, f);

  it('reaches the library but nothing under src/node/', () => {
    const files = [...graph.keys()].map(rel);
    expect(files).toEqual(expect.arrayContaining(['losses/index.ts', 'metrics/index.ts', 'data/datasetMethods.ts', 'datasets/shipped.ts']));
    expect(files.filter(f => f.startsWith('node') || f.startsWith('cli'))).toEqual([]);
  });

  it('imports no Node built-in', () => {
    const offending = [...graph].flatMap(([file, specs]) =>
      specs.filter(s => s.startsWith('node:') || NODE_BUILTINS.has(s)).map(s => `${rel(file)} imports ${s}`));
    expect(offending).toEqual([]);
  });

  it('reads neither __dirname nor process outside a typeof / globalThis guard', () => {
    const offending = [...graph.keys()].flatMap(file => {
      const code = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
      const unguarded = code.split('\n').filter(line =>
        /__dirname|__filename/.test(line) || (/(?<![.\w])process\./.test(line) && !/typeof process !== 'undefined'/.test(line)));
      return unguarded.length > 0 ? [`${rel(file)}: ${unguarded[0].trim()}`] : [];
    });
    expect(offending).toEqual([]);
  });

  it('the negative control: the Node entry does reach Node built-ins', () => {
    const nodeGraph = reachable(path.join(SRC, 'node.ts'));
    expect([...nodeGraph.values()].flat()).toEqual(expect.arrayContaining(['fs', 'zlib']));
  });
});

describe('VERSION', () => {
  it('equals package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(SRC, '..', 'package.json'), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });
});
