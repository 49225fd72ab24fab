/**
 * A consumer project for the packaging and browser tests and the browser
 * bench: the package as `npm pack` ships it, installed next to
 * `@tensorflow/tfjs` and `@tensorflow/tfjs-backend-wasm` 4.22.0 (and any
 * extra packages asked for) in a temporary directory.
 *
 * Synchronous on purpose: test files call it while jest collects them, so a
 * suite can be skipped (with the reason printed) when npm cannot install
 * offline. The project lives in the OS temp directory, one per repository
 * checkout and set of extra packages (`tfjs-imbalanced-consumer-<hash>`),
 * and is reinstalled only when the tarball changes, so several test files
 * (and repeated runs) share one install. `dist/` is rebuilt first when a
 * source is newer than it. Remove the directory to start afresh.
 */
import {execFileSync} from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '..', '..');
const STAMP = '.installed-tarball-sha256';
/** The tfjs packages the consumer installs next to ours. */
export const CONSUMER_DEPENDENCIES = ['@tensorflow/tfjs@4.22.0', '@tensorflow/tfjs-backend-wasm@4.22.0'];

/** A ready consumer project, or why there is none. */
export type Consumer = {dir: string; tarball: string; skip?: undefined} | {skip: string; dir?: undefined; tarball?: undefined};

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `fn` holding a lock shared by every jest worker of this checkout (a directory; stale after 5 min). */
function withLock<T>(lockDir: string, fn: () => T): T {
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lockDir, {throwIfNoEntry: false})?.mtimeMs ?? Date.now());
      if (age > 5 * 60_000) fs.rmSync(lockDir, {recursive: true, force: true});
      else sleepMs(200);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, {recursive: true, force: true});
  }
}

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map(e => newestMtime(path.join(p, e))));
}

/** Rebuilds dist/ (`npm run build`) when it is missing or older than a source or build file. */
export function ensureBuilt(): void {
  const built = [path.join(REPO, 'dist', 'esm', 'index.js'), path.join(REPO, 'dist', 'cjs', 'index.js'), path.join(REPO, 'dist', 'types', 'index.d.ts')];
  const inputs = ['src', 'package.json', 'scripts/build.mjs', 'tsconfig.build.json', 'tsconfig.esm.json', 'tsconfig.types.json'];
  const sourceTime = Math.max(...inputs.map(p => newestMtime(path.join(REPO, p))));
  if (built.every(f => fs.existsSync(f) && fs.statSync(f).mtimeMs >= sourceTime)) return;
  execFileSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], {cwd: REPO, stdio: 'pipe'});
}

/** `npm pack` of the built package into `dir` (no lifecycle scripts: dist/ is already built); returns the tarball path. */
function pack(dir: string): string {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
  const [{filename}] = JSON.parse(out) as {filename: string}[];
  return path.join(dir, filename);
}

/** True when an npm failure comes from the network or the offline cache, not from the package. */
function isOfflineFailure(output: string): boolean {
  return /ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|network|offline/i.test(output);
}

/**
 * Builds (if stale), packs and installs the package into a consumer project
 * next to {@link CONSUMER_DEPENDENCIES} and `extra` packages (e.g.
 * `@tensorflow/tfjs-backend-webgpu@4.22.0`). Returns `{skip}` only when npm
 * cannot install them (no network and not in the npm cache); any other
 * failure throws.
 */
export function packedConsumer(extra: string[] = []): Consumer {
  const key = crypto.createHash('sha1').update([REPO, ...extra].join('\n')).digest('hex').slice(0, 10);
  const dir = path.join(os.tmpdir(), `tfjs-imbalanced-consumer-${key}`);
  const stamp = path.join(dir, STAMP);
  const dependencies = [...CONSUMER_DEPENDENCIES, ...extra];
  return withLock(`${dir}.lock`, () => {
    ensureBuilt();
    fs.mkdirSync(dir, {recursive: true});
    const tarball = pack(dir);
    const sha = crypto.createHash('sha256').update(fs.readFileSync(tarball)).digest('hex');
    const installed = path.join(dir, 'node_modules', 'tfjs-imbalanced', 'package.json');
    if (fs.existsSync(installed) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === sha) return {dir, tarball};

    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({name: 'tfjs-imbalanced-consumer', version: '1.0.0', private: true}, null, 2));
    fs.rmSync(path.join(dir, 'node_modules', 'tfjs-imbalanced'), {recursive: true, force: true});
    fs.rmSync(stamp, {force: true});
    try {
      execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', tarball, ...dependencies], {
        cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      const output = `${(e as {stdout?: string}).stdout ?? ''}${(e as {stderr?: string}).stderr ?? ''}${(e as Error).message}`;
      if (isOfflineFailure(output)) return {skip: `npm cannot install ${dependencies.join(', ')} offline: ${output.split('\n').find(l => /npm error/.test(l)) ?? output.slice(0, 200)}`};
      throw e;
    }
    fs.writeFileSync(stamp, sha);
    return {dir, tarball};
  });
}
