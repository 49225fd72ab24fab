/**
 * The `'wasm'` k-NN kernel: fast candidate scores s_ij = ||r_j||^2 - 2 q_i . r_j
 * computed by a WebAssembly SIMD program (written with src/core/wasm.ts and
 * compiled at first use from bytes built here, so it needs no toolchain and
 * runs wherever WebAssembly SIMD does: Node >= 16.4, current browsers).
 *
 * Layout. Rows are packed in panels of 8 rows, transposed per panel
 * (panel[t][8]: feature t of the 8 rows), so one 128-bit load gives feature t
 * of 4 rows. A tile is 4 query rows x 8 reference rows: 8 f32x4 accumulators,
 * each step loads 2 reference vectors and splats 4 query values.
 *
 * Selection. Each query row keeps its m best (score, index) pairs sorted in
 * wasm memory, with the m-th score as `worst`. A tile's 32 scores are screened
 * with SIMD comparisons against `worst`, giving a bit mask of the pairs that
 * beat it; only those go to the scalar insertion (rarer as the lists fill up).
 * Nothing of size n x n is ever allocated: memory is O(n (d + m)).
 *
 * Self mode (queries = references) uses the symmetry d(i, j) = d(j, i): a
 * strip of 8 rows meets only its own panel and the panels after it, and each
 * off-diagonal tile offers its scores to both rows (half the dot products).
 *
 * Work is split into chunks of tiles claimed through an atomic counter, so
 * threads (see `setKnnExecutor`, plugged in by the Node entry) share it; each
 * thread has its own candidate lists, merged at the end. A tile whose screen
 * finds nothing costs only its dot products: on 5000 x 32 Gaussian rows 30 %
 * of the tiles hold a better pair (336k insertions in all), mostly early on.
 */
import {assemble, block, br, brIf, ifElse, ifThen, loop, op} from '../core/wasm';
import type {Code, ValType, WasmFunction} from '../core/wasm';

/** Candidate lists of every query row: m slots per row, sorted by (score, index). */
export interface Candidates {
  score: Float32Array;
  index: Int32Array;
  count: Int32Array;
}

/** Byte offsets of the i32 fields of a thread's configuration block in wasm memory. */
const CFG = {
  d: 0, m: 4, panels: 8, qPanels: 12, rPanels: 16, norm: 20, qNorm: 24,
  worst: 28, count: 32, score: 36, index: 40, exclude: 44, scratch: 48, symmetric: 52,
};
const CFG_BYTES = 64;
/** Byte offsets of the shared control block: next chunk, chunks done, chunk count, error flag, chunk bounds pointer. */
export const CTL = {next: 0, done: 4, chunks: 8, error: 12, bounds: 16};
const CTL_BYTES = 32;
/** Candidates kept per query beyond k before the exact re-ranking (every kernel; neighbors.ts). */
export const EXTRA_CANDIDATES = 4;
/** Rows per panel and per query tile. */
const PANEL = 8;
const TILE = 4;

// ---------------------------------------------------------------------------
// The program. Function indices: 0 insert, 1 offerTile, 2 scan, 3 run.

const {get, set, tee, i32, call} = op;
const I = {insert: 0, offerTile: 1, scan: 2, run: 3};

/** Address `base + index * 4`. */
const at4 = (base: Code, index: Code): Code => [base, index, i32(2), op.i32Shl, op.i32Add];
/** Load an i32 field of the configuration block held in local 0. */
const cfg = (field: number): Code => [get(0), op.i32Load(field)];

/**
 * insert(cfg, i, s, j): puts (s, j) into row i's sorted list (ties: lower index
 * first), dropping the last entry when full; then worst[i] = the m-th score.
 */
function insertFn(): WasmFunction {
  const [, i, s, j, m, cnt, c, p, sc, ix, prev] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  return {
    params: ['i32', 'i32', 'f32', 'i32'],
    results: [],
    locals: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'f32'],
    body: [
      cfg(CFG.m), set(m),
      at4(cfg(CFG.count), get(i)), tee(cnt), op.i32Load(), set(c),
      // p = the slot to fill: the last one when full, else the next free one.
      get(c), get(m), op.i32Eq,
      ifElse([get(m), i32(1), op.i32Sub, set(p)], [get(cnt), get(c), i32(1), op.i32Add, op.i32Store(), get(c), set(p)]),
      at4(cfg(CFG.score), [get(i), get(m), op.i32Mul]), set(sc),
      at4(cfg(CFG.index), [get(i), get(m), op.i32Mul]), set(ix),
      block(loop(
        get(p), op.i32Eqz, brIf(1),
        at4(get(sc), [get(p), i32(1), op.i32Sub]), op.f32Load(), set(prev),
        // Shift while prev > s, or prev == s with a higher index.
        get(prev), get(s), op.f32Gt,
        get(prev), get(s), op.f32Eq, at4(get(ix), [get(p), i32(1), op.i32Sub]), op.i32Load(), get(j), op.i32GtS, op.i32And,
        op.i32Or, op.i32Eqz, brIf(1),
        at4(get(sc), get(p)), get(prev), op.f32Store(),
        at4(get(ix), get(p)), at4(get(ix), [get(p), i32(1), op.i32Sub]), op.i32Load(), op.i32Store(),
        get(p), i32(1), op.i32Sub, set(p),
        br(0),
      )),
      at4(get(sc), get(p)), get(s), op.f32Store(),
      at4(get(ix), get(p)), get(j), op.i32Store(),
      get(c), i32(1), op.i32Add, get(m), op.i32GeS,
      ifThen(at4(cfg(CFG.worst), get(i)), at4(get(sc), [get(m), i32(1), op.i32Sub]), op.f32Load(), op.f32Store()),
    ],
  };
}

/**
 * offerTile(cfg, i0, j0, hitsI, hitsJ): the slow path of a tile whose screen
 * found scores below a row's worst. scratch holds the tile's 32 values
 * 2 q_(i0+r) . r_(j0+h) (index 8r + h); bit 8r + h of `hitsI` marks a pair to
 * offer to row i0 + r, of `hitsJ` its mirror to row j0 + h. Each is rechecked
 * against the row's current worst (it falls with every insertion).
 */
function offerTileFn(): WasmFunction {
  const [, i0, j0, hitsI, hitsJ, bit, i, j, s] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  /** For each set bit of `bits` (lowest first): i, j and the scratch value's address, then `body`. */
  const eachBit = (bits: number, body: Code): Code => block(loop(
    get(bits), op.i32Eqz, brIf(1),
    get(bits), op.i32Ctz, set(bit),
    get(bits), get(bits), i32(1), op.i32Sub, op.i32And, set(bits),
    get(i0), get(bit), i32(3), op.i32ShrU, op.i32Add, set(i),
    get(j0), get(bit), i32(7), op.i32And, op.i32Add, set(j),
    body,
    br(0),
  ));
  const twice = (): Code => [at4(cfg(CFG.scratch), get(bit)), op.f32Load()];
  return {
    params: ['i32', 'i32', 'i32', 'i32', 'i32'],
    results: [],
    locals: ['i32', 'i32', 'i32', 'f32'],
    body: [
      // Row i gets j: s = norm_j - 2 q_i . r_j, unless j is its excluded index.
      eachBit(hitsI, [
        at4(cfg(CFG.norm), get(j)), op.f32Load(), twice(), op.f32Sub, tee(s),
        at4(cfg(CFG.worst), get(i)), op.f32Load(), op.f32Lt,
        get(j), at4(cfg(CFG.exclude), get(i)), op.i32Load(), op.i32Ne, op.i32And,
        ifThen(get(0), get(i), get(s), get(j), call(I.insert)),
      ]),
      // Row j gets i: s = norm_i - 2 q_i . r_j.
      eachBit(hitsJ, [
        at4(cfg(CFG.qNorm), get(i)), op.f32Load(), twice(), op.f32Sub, tee(s),
        at4(cfg(CFG.worst), get(j)), op.f32Load(), op.f32Lt,
        ifThen(get(0), get(j), get(s), get(i), call(I.insert)),
      ]),
    ],
  };
}

/**
 * scan(cfg, t0, t1): query tiles t0 .. t1 - 1 (tile t = query rows 4t .. 4t + 3)
 * against every reference panel (self mode: their own panel and the later ones).
 */
function scanFn(): WasmFunction {
  const [, t0, t1, tile, d, P, sym, pb, qp, p, both, a, b, end, i, s, hitsI, hitsJ] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  const acc = [18, 19, 20, 21, 22, 23, 24, 25];
  const [b0, b1, x, n0, n1] = [26, 27, 28, 29, 30];
  const locals: ValType[] = [...new Array<ValType>(15).fill('i32'), ...new Array<ValType>(13).fill('v128')];
  /** acc += x * bv */
  const fma = (k: number, bv: number): Code => [get(acc[k]), get(x), get(bv), op.f32x4Mul, op.f32x4Add, set(acc[k])];
  /** hits |= bitmask((lhs - acc[k]) < rhs) << shift: the tile's pairs (bit 8r + h) that beat a row's worst. */
  const screen = (hits: number, k: number, lhs: Code, rhs: Code): Code => [
    get(hits), lhs, get(acc[k]), op.f32x4Sub, rhs, op.f32x4Lt, op.i32x4Bitmask, i32(4 * k), op.i32Shl, op.i32Or, set(hits),
  ];
  const splatAt = (base: number, r: number): Code => [at4(cfg(base), get(i)), op.v128Load32Splat(4 * r)];
  return {
    params: ['i32', 'i32', 'i32'],
    results: [],
    locals,
    body: [
      cfg(CFG.d), set(d),
      cfg(CFG.panels), set(P),
      cfg(CFG.symmetric), set(sym),
      get(d), i32(5), op.i32Shl, set(pb), // bytes per panel: d * 8 * 4
      get(t0), set(tile),
      block(
        get(tile), get(t1), op.i32GeS, brIf(0),
        loop(
          get(tile), i32(1), op.i32ShrU, set(s),
          cfg(CFG.qPanels), get(s), get(pb), op.i32Mul, op.i32Add, get(tile), i32(1), op.i32And, i32(4), op.i32Shl, op.i32Add, set(qp),
          get(tile), i32(2), op.i32Shl, set(i),
          get(s), i32(0), get(sym), op.select, set(p),
          loop(
            get(sym), get(p), get(s), op.i32Ne, op.i32And, set(both),
            acc.map(k => [op.v128Zero, set(k)]),
            get(qp), set(a),
            cfg(CFG.rPanels), get(p), get(pb), op.i32Mul, op.i32Add, set(b),
            get(qp), get(pb), op.i32Add, set(end),
            loop(
              get(b), op.v128Load(0), set(b0),
              get(b), op.v128Load(16), set(b1),
              [0, 1, 2, 3].map(r => [get(a), op.v128Load32Splat(4 * r), set(x), fma(2 * r, b0), fma(2 * r + 1, b1)]),
              get(a), i32(32), op.i32Add, tee(a),
              get(b), i32(32), op.i32Add, set(b),
              get(end), op.i32LtU, brIf(0),
            ),
            // Double the dot products (exact), then screen: norm_j - 2 q.r < worst_i (and the mirror).
            acc.map(k => [get(k), get(k), op.f32x4Add, set(k)]),
            at4(cfg(CFG.norm), [get(p), i32(3), op.i32Shl]), tee(a), op.v128Load(0), set(n0),
            get(a), op.v128Load(16), set(n1),
            i32(0), set(hitsI),
            i32(0), set(hitsJ),
            [0, 1, 2, 3].map(r => [
              screen(hitsI, 2 * r, get(n0), splatAt(CFG.worst, r)),
              screen(hitsI, 2 * r + 1, get(n1), splatAt(CFG.worst, r)),
            ]),
            get(both),
            ifThen(
              at4(cfg(CFG.worst), [get(p), i32(3), op.i32Shl]), tee(a), op.v128Load(0), set(n0),
              get(a), op.v128Load(16), set(n1),
              [0, 1, 2, 3].map(r => [
                screen(hitsJ, 2 * r, splatAt(CFG.qNorm, r), get(n0)),
                screen(hitsJ, 2 * r + 1, splatAt(CFG.qNorm, r), get(n1)),
              ]),
            ),
            get(hitsI), get(hitsJ), op.i32Or,
            ifThen(
              cfg(CFG.scratch), set(a),
              acc.map((k, n) => [get(a), get(k), op.v128Store(16 * n)]),
              get(0), get(i), get(p), i32(3), op.i32Shl, get(hitsI), get(hitsJ), call(I.offerTile),
            ),
            get(p), i32(1), op.i32Add, tee(p), get(P), op.i32LtS, brIf(0),
          ),
          get(tile), i32(1), op.i32Add, tee(tile), get(t1), op.i32LtS, brIf(0),
        ),
      ),
    ],
  };
}

/**
 * run(control, cfg): claims chunks through an atomic counter and scans them
 * until none is left; counts each finished chunk and wakes a waiting thread.
 */
function runFn(): WasmFunction {
  const [control, , c, bounds] = [0, 1, 2, 3];
  return {
    name: 'run',
    params: ['i32', 'i32'],
    results: [],
    locals: ['i32', 'i32'],
    body: [
      get(control), op.i32Load(CTL.bounds), set(bounds),
      block(loop(
        get(control), i32(1), op.i32AtomicAdd(CTL.next), tee(c),
        get(control), op.i32Load(CTL.chunks), op.i32GeS, brIf(1),
        get(1), at4(get(bounds), get(c)), op.i32Load(), at4(get(bounds), get(c)), op.i32Load(4), call(I.scan),
        get(control), i32(1), op.i32AtomicAdd(CTL.done), op.drop,
        get(control), i32(1), op.atomicNotify(CTL.done), op.drop,
        br(0),
      )),
    ],
  };
}

/** The module bytes (importing a shared memory when `shared`). */
export function knnModuleBytes(shared: boolean): ArrayBuffer {
  return assemble([insertFn(), offerTileFn(), scanFn(), runFn()], {shared});
}

const compiled = new Map<boolean, WebAssembly.Module | null>();

/** The compiled module, or null where WebAssembly SIMD (or, for `shared`, threads) is unavailable. */
export function knnModule(shared: boolean): WebAssembly.Module | null {
  if (!compiled.has(shared)) {
    let module: WebAssembly.Module | null = null;
    try {
      const bytes = knnModuleBytes(shared);
      if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) module = new WebAssembly.Module(bytes);
    } catch {
      module = null;
    }
    compiled.set(shared, module);
  }
  return compiled.get(shared) as WebAssembly.Module | null;
}

// ---------------------------------------------------------------------------
// Threads.

/**
 * Runs `run(control, cfg)` of a shared-memory instance of `module` on worker
 * threads. The Node entry provides one (worker_threads); browsers run the
 * kernel on the calling thread.
 */
export interface KnnExecutor {
  /** Worker threads it can use (besides the calling thread). */
  readonly workers: number;
  /**
   * Starts `run(control, cfgs[w])` on worker w for every given configuration
   * and returns at once; the caller runs its own share, then waits for the
   * chunk counter. A worker that fails sets the control block's error flag.
   */
  start(module: WebAssembly.Module, memory: WebAssembly.Memory, control: number, cfgs: number[]): void;
}

let executor: KnnExecutor | null = null;

/** Plugs in (or, with null, removes) the executor the wasm kernel uses for large problems. */
export function setKnnExecutor(e: KnnExecutor | null): void {
  executor = e;
}

/** Below this many multiply-adds a scan stays on the calling thread (waking workers costs ~0.1 ms). */
const PARALLEL_MIN_WORK = 1 << 24;
/** Chunks per thread: small enough to balance a busy machine, large enough to be cheap to claim. */
const CHUNKS_PER_THREAD = 8;
/**
 * At least this many chunks, even on one thread: V8 first runs wasm in its baseline
 * compiler and swaps in optimised code only for later calls, so a scan made of many
 * calls speeds up within the first search (first 5000 x 32 search: 120 -> 75 ms).
 */
const MIN_CHUNKS = 256;
/** A scan with no finished chunk for this long is considered dead (a worker was killed). */
const STALL_MS = 60_000;

// ---------------------------------------------------------------------------
// Driver.

/** A bump allocator over byte offsets, 16-byte aligned. */
class Layout {
  size = 0;
  take(bytes: number): number {
    const at = this.size;
    this.size += Math.ceil(bytes / 16) * 16;
    return at;
  }
}

/**
 * Where everything lives in the kernel's memory (byte offsets) and its total
 * size: the packed rows and norms once, then per thread its candidate lists
 * (O(n m)); no n x n block. `bounds` = number of chunk bounds.
 */
function layout(nq: number, nr: number, d: number, m: number, self: boolean, threads: number, bounds: number) {
  const rowsR = Math.ceil(nr / PANEL) * PANEL;
  const rowsQ = self ? rowsR : Math.ceil(nq / PANEL) * PANEL;
  const L = new Layout();
  const control = L.take(CTL_BYTES);
  const boundsAt = L.take(4 * bounds);
  const rPanels = L.take(4 * rowsR * d);
  const qPanels = self ? rPanels : L.take(4 * rowsQ * d);
  const norm = L.take(4 * rowsR);
  const qNorm = self ? norm : L.take(4 * rowsQ);
  const excl = L.take(4 * rowsQ);
  const perThread = Array.from({length: threads}, () => ({
    cfg: L.take(CFG_BYTES),
    scratch: L.take(4 * TILE * PANEL),
    worst: L.take(4 * rowsQ),
    count: L.take(4 * rowsQ),
    score: L.take(4 * rowsQ * m),
    index: L.take(4 * rowsQ * m),
  }));
  return {size: L.size, control, boundsAt, rPanels, qPanels, norm, qNorm, excl, perThread};
}

/**
 * Bytes of WebAssembly memory the wasm kernel allocates for one search (freed
 * with it): about 4 (n_ref + n_query) (d + 1) + 8 threads n_query (k + 5).
 */
export function wasmKnnBytes(nq: number, nr: number, d: number, k: number, self: boolean, threads = 1): number {
  const m = Math.min(k + EXTRA_CANDIDATES, self ? nr - 1 : nr);
  return layout(nq, nr, d, m, self, threads, Math.max(MIN_CHUNKS, threads * CHUNKS_PER_THREAD) + 1).size;
}

/** Rows packed in panels of 8 (transposed per panel), the padding rows zero. */
function packPanels(rows: Float32Array, n: number, d: number, out: Float32Array): void {
  for (let i = 0; i < n; i++) {
    const base = Math.floor(i / PANEL) * PANEL * d + (i % PANEL);
    for (let t = 0; t < d; t++) out[base + t * PANEL] = rows[i * d + t];
  }
}

/**
 * The m best candidates of every query row under the fast float32 score
 * ||r_j||^2 - 2 q_i . r_j, as the other kernels produce them (see neighbors.ts).
 * `q`, `r` are the centred float32 rows; `exclude[i]` is a reference index row i
 * must not get (self mode: i itself). Returns null when WebAssembly SIMD is not
 * available.
 */
export function wasmCandidates(
  q: Float32Array, r: Float32Array, refNorm: Float64Array, queryNorm: Float64Array,
  nq: number, nr: number, d: number, self: boolean, exclude: Int32Array | null, m: number,
): Candidates | null {
  const PR = Math.ceil(nr / PANEL);
  const PQ = self ? PR : Math.ceil(nq / PANEL);
  const rowsQ = PQ * PANEL;
  const tiles = PQ * (PANEL / TILE);
  const work = self ? (nq * nr * d) / 2 : nq * nr * d;
  const parallel = executor !== null && executor.workers > 0 && work >= PARALLEL_MIN_WORK && knnModule(true) !== null;
  const threads = parallel ? 1 + (executor as KnnExecutor).workers : 1;
  const shared = threads > 1;
  const module = knnModule(shared);
  if (module === null) return null;

  // Tile chunks of about equal work (self mode: tile t meets PR - floor(t / 2) panels).
  const tileWork = (t: number) => (self ? PR - Math.floor(t / 2) : PR);
  const chunks = Math.min(tiles, Math.max(MIN_CHUNKS, threads * CHUNKS_PER_THREAD));
  const bounds = chunkBounds(tiles, chunks, tileWork);

  const lay = layout(nq, nr, d, m, self, threads, bounds.length);
  const {control, boundsAt, rPanels, qPanels, norm, qNorm, excl, perThread} = lay;
  const pages = Math.ceil(lay.size / 65536);
  const memory = shared ? new WebAssembly.Memory({initial: pages, maximum: pages, shared: true}) : new WebAssembly.Memory({initial: pages});
  const buf = memory.buffer;

  new Int32Array(buf, boundsAt, bounds.length).set(bounds);
  packPanels(r, nr, d, new Float32Array(buf, rPanels, PR * PANEL * d));
  if (!self) packPanels(q, nq, d, new Float32Array(buf, qPanels, rowsQ * d));
  // Padding rows: an infinite norm (never a candidate) and a worst of -Infinity (never takes one).
  new Float32Array(buf, norm, PR * PANEL).fill(Infinity).set(Float32Array.from(refNorm));
  if (!self) new Float32Array(buf, qNorm, rowsQ).set(Float32Array.from(queryNorm));
  const ex = new Int32Array(buf, excl, rowsQ).fill(-1);
  if (exclude) ex.set(exclude);
  for (const t of perThread) {
    new Float32Array(buf, t.worst, rowsQ).fill(-Infinity).fill(Infinity, 0, nq);
    new Int32Array(buf, t.cfg, CFG_BYTES / 4).set([
      d, m, PR, qPanels, rPanels, norm, qNorm, t.worst, t.count, t.score, t.index, excl, t.scratch, self ? 1 : 0,
    ]);
  }
  const ctl = new Int32Array(buf, control, CTL_BYTES / 4);
  ctl.set([0, 0, chunks, 0, boundsAt]);

  const instance = new WebAssembly.Instance(module, {env: {memory}});
  const run = instance.exports.run as (control: number, cfg: number) => void;
  if (threads > 1) (executor as KnnExecutor).start(module, memory, control, perThread.slice(1).map(t => t.cfg));
  run(control, perThread[0].cfg);
  if (threads > 1) waitForChunks(ctl, chunks);

  const lists = perThread.map(t => ({
    score: new Float32Array(buf, t.score, nq * m),
    index: new Int32Array(buf, t.index, nq * m),
    count: new Int32Array(buf, t.count, nq),
  }));
  return threads === 1 ? copyCandidates(lists[0]) : mergeCandidates(lists, nq, m);
}

/** Chunk boundaries (tile indices) splitting `tiles` tiles into `chunks` runs of about equal work. */
function chunkBounds(tiles: number, chunks: number, tileWork: (t: number) => number): Int32Array {
  let total = 0;
  for (let t = 0; t < tiles; t++) total += tileWork(t);
  const bounds = new Int32Array(chunks + 1);
  let c = 1;
  let acc = 0;
  for (let t = 0; t < tiles && c < chunks; t++) {
    acc += tileWork(t);
    if (acc >= (total * c) / chunks) bounds[c++] = t + 1;
  }
  while (c <= chunks) bounds[c++] = tiles;
  return bounds;
}

/** Blocks (Atomics.wait; allowed off the browser's main thread and in Node) until every chunk is done. */
function waitForChunks(ctl: Int32Array, chunks: number): void {
  let last = -1;
  let since = Date.now();
  for (;;) {
    const done = Atomics.load(ctl, CTL.done / 4);
    if (Atomics.load(ctl, CTL.error / 4) !== 0) throw new Error('kNeighbors: a k-NN worker thread failed');
    if (done >= chunks) return;
    if (done !== last) {
      last = done;
      since = Date.now();
    } else if (Date.now() - since > STALL_MS) {
      throw new Error(`kNeighbors: no k-NN chunk finished in ${STALL_MS / 1000} s (a worker thread died?)`);
    }
    Atomics.wait(ctl, CTL.done / 4, done, 1000);
  }
}

function copyCandidates(c: Candidates): Candidates {
  return {score: c.score.slice(), index: c.index.slice(), count: c.count.slice()};
}

/** Per row, the m best of the threads' lists (each sorted by (score, index)). */
function mergeCandidates(lists: Candidates[], nq: number, m: number): Candidates {
  const out: Candidates = {score: new Float32Array(nq * m), index: new Int32Array(nq * m), count: new Int32Array(nq)};
  const pos = new Int32Array(lists.length);
  for (let i = 0; i < nq; i++) {
    pos.fill(0);
    const base = i * m;
    let n = 0;
    while (n < m) {
      let pick = -1;
      for (let t = 0; t < lists.length; t++) {
        if (pos[t] >= lists[t].count[i]) continue;
        if (pick < 0) {
          pick = t;
          continue;
        }
        const a = lists[t].score[base + pos[t]];
        const b = lists[pick].score[base + pos[pick]];
        if (a < b || (a === b && lists[t].index[base + pos[t]] < lists[pick].index[base + pos[pick]])) pick = t;
      }
      if (pick < 0) break;
      out.score[base + n] = lists[pick].score[base + pos[pick]];
      out.index[base + n] = lists[pick].index[base + pos[pick]];
      pos[pick]++;
      n++;
    }
    out.count[i] = n;
  }
  return out;
}
