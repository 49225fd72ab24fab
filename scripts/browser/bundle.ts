/**
 * esbuild helpers for the browser tests, the browser bench and the example:
 * a consumer's plain browser bundle (`--bundle --format=esm
 * --platform=browser`, no alias, shim or define) plus what its metafile says
 * (which packages went in, how many copies, any Node built-in).
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

/** Options of {@link bundleForBrowser}. */
export interface BundleOptions {
  /** Entry file (JS or TS). */
  entry: string;
  /** Output file. */
  outfile: string;
  /** Minify (for size measurements). Default false. */
  minify?: boolean;
  /** Packages left out of the bundle (for measuring the library alone). */
  external?: string[];
}

/** A bundle and the inputs esbuild put in it. */
export interface BundleResult {
  outfile: string;
  bytes: number;
  gzipBytes: number;
  metafile: esbuild.Metafile;
}

/**
 * Bundles `entry` the way a consumer would on the command line:
 * `esbuild entry --bundle --format=esm --platform=browser --outfile=...`,
 * plus a metafile. Resolution starts next to the entry, so put the entry in
 * the consumer project whose node_modules should be used.
 */
export async function bundleForBrowser(options: BundleOptions): Promise<BundleResult> {
  const result = await esbuild.build({
    entryPoints: [options.entry],
    outfile: options.outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: options.minify ?? false,
    external: options.external,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: path.dirname(path.resolve(options.entry)),
  });
  const code = fs.readFileSync(options.outfile);
  return {outfile: options.outfile, bytes: code.length, gzipBytes: zlib.gzipSync(code, {level: 9}).length, metafile: result.metafile};
}

/** The package directory an input path lies in ('node_modules/@scope/name'), or null for app files. */
export function packageDirOf(input: string): string | null {
  const i = input.lastIndexOf('node_modules/');
  if (i < 0) return null;
  const parts = input.slice(i + 'node_modules/'.length).split('/');
  const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  return input.slice(0, i) + 'node_modules/' + name;
}

/** For each package name in the bundle, the distinct directories its files came from (> 1 = duplicated). */
export function packageCopies(metafile: esbuild.Metafile): Map<string, string[]> {
  const copies = new Map<string, Set<string>>();
  for (const input of Object.keys(metafile.inputs)) {
    const dir = packageDirOf(input.replace(/^\(disabled\):/, ''));
    if (dir === null || input.startsWith('(disabled):')) continue;
    const name = dir.slice(dir.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (!copies.has(name)) copies.set(name, new Set());
    copies.get(name)!.add(dir);
  }
  return new Map([...copies].map(([name, dirs]) => [name, [...dirs]]));
}

/**
 * Imports made by files of package `pkg` that esbuild had to disable or leave
 * out as Node built-ins (`(disabled):fs`, `node:path`, ...): none is allowed
 * for a browser-safe package.
 */
export function nodeImportsOf(metafile: esbuild.Metafile, pkg: string): string[] {
  const out: string[] = [];
  for (const [input, info] of Object.entries(metafile.inputs)) {
    if (!input.includes(`node_modules/${pkg}/`) && !input.startsWith(`${pkg}/`)) continue;
    for (const imp of info.imports) {
      if (imp.path.startsWith('(disabled):') || imp.path.startsWith('node:') || imp.external) out.push(`${input} -> ${imp.path}`);
    }
  }
  return out;
}

/** The inputs of a bundle that belong to package `pkg` (paths relative to the working directory). */
export function inputsOf(metafile: esbuild.Metafile, pkg: string): string[] {
  return Object.keys(metafile.inputs).filter(p => p.includes(`node_modules/${pkg}/`));
}

/** Copies tfjs-backend-wasm's `.wasm` files (resolved from `fromDir`) into `toDir`, next to the page. */
export function copyWasmFiles(fromDir: string, toDir: string): string[] {
  const pkgJson = require.resolve('@tensorflow/tfjs-backend-wasm/package.json', {paths: [fromDir]});
  const dist = path.join(path.dirname(pkgJson), 'dist');
  const files = fs.readdirSync(dist).filter(f => f.endsWith('.wasm'));
  fs.mkdirSync(toDir, {recursive: true});
  for (const f of files) fs.copyFileSync(path.join(dist, f), path.join(toDir, f));
  return files;
}
