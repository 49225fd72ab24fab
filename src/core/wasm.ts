/**
 * A minimal WebAssembly binary writer: enough to express a small compute
 * kernel (i32 / f32 scalar and 128-bit SIMD arithmetic, loads, stores,
 * structured control flow, calls) as readable TypeScript and turn it into
 * module bytes at run time, with no build-time toolchain. The opcodes are
 * those of the WebAssembly core specification 2.0 (SIMD included).
 *
 * A function body is `Code`: nested arrays of bytes, flattened on assembly.
 * Every module imports one linear memory as `env.memory` (shared or not).
 */

/** Value types used by the kernels. */
export type ValType = 'i32' | 'f32' | 'v128';

/** Instruction bytes, possibly nested. */
export type Code = number | readonly Code[];

/** A function of the module; functions are numbered in the order given (for `call`). */
export interface WasmFunction {
  params: ValType[];
  results: ValType[];
  /** Extra locals after the parameters (numbered from params.length). */
  locals: ValType[];
  body: Code;
  /** Export name, if exported. */
  name?: string;
}

const VALTYPE: Record<ValType, number> = {i32: 0x7f, f32: 0x7d, v128: 0x7b};

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (32-bit values). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function flatten(code: Code, out: number[]): number[] {
  if (typeof code === 'number') out.push(code);
  else for (const c of code) flatten(c, out);
  return out;
}

/** Memory operand: alignment exponent and constant byte offset. */
function memarg(align: number, offset: number): number[] {
  return [...uleb(align), ...uleb(offset)];
}

/** IEEE-754 single, little-endian (the byte order of WebAssembly). */
function f32Bytes(v: number): number[] {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, v, true);
  return [view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3)];
}

const simd = (opcode: number): number[] => [0xfd, ...uleb(opcode)];

/** Instructions (operands are pushed by the preceding code, as in the text format). */
export const op = {
  get: (local: number): Code => [0x20, ...uleb(local)],
  set: (local: number): Code => [0x21, ...uleb(local)],
  tee: (local: number): Code => [0x22, ...uleb(local)],
  call: (fn: number): Code => [0x10, ...uleb(fn)],
  i32: (v: number): Code => [0x41, ...sleb(v)],
  f32: (v: number): Code => [0x43, ...f32Bytes(v)],
  drop: 0x1a,
  select: 0x1b,
  // i32 arithmetic and comparisons
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  i32And: 0x71,
  i32Or: 0x72,
  i32Ctz: 0x68,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GtS: 0x4a,
  i32GeS: 0x4e,
  // f32 arithmetic and comparisons
  f32Add: 0x92,
  f32Sub: 0x93,
  f32Mul: 0x94,
  f32Eq: 0x5b,
  f32Lt: 0x5d,
  f32Gt: 0x5e,
  // memory (natural alignment; `offset` is a constant added to the address)
  i32Load: (offset = 0): Code => [0x28, ...memarg(2, offset)],
  f32Load: (offset = 0): Code => [0x2a, ...memarg(2, offset)],
  i32Store: (offset = 0): Code => [0x36, ...memarg(2, offset)],
  f32Store: (offset = 0): Code => [0x38, ...memarg(2, offset)],
  // SIMD (f32x4 lanes)
  v128Load: (offset = 0): Code => [...simd(0x00), ...memarg(4, offset)],
  v128Store: (offset = 0): Code => [...simd(0x0b), ...memarg(4, offset)],
  v128Load32Splat: (offset = 0): Code => [...simd(0x09), ...memarg(2, offset)],
  v128Zero: [...simd(0x0c), ...new Array<number>(16).fill(0)] as Code,
  f32x4Splat: simd(0x13) as Code,
  f32x4Lt: simd(0x43) as Code,
  f32x4Add: simd(0xe4) as Code,
  f32x4Sub: simd(0xe5) as Code,
  f32x4Mul: simd(0xe6) as Code,
  v128Or: simd(0x50) as Code,
  v128AnyTrue: simd(0x53) as Code,
  i32x4Bitmask: simd(0xa4) as Code,
  // atomics (threads proposal; also valid on unshared memory)
  i32AtomicAdd: (offset = 0): Code => [0xfe, 0x1e, ...memarg(2, offset)],
  atomicNotify: (offset = 0): Code => [0xfe, 0x00, ...memarg(2, offset)],
};

const BLOCK_EMPTY = 0x40;

/** `block ... end`: `br(0)` inside jumps to its end. */
export const block = (...body: Code[]): Code => [0x02, BLOCK_EMPTY, body, 0x0b];
/** `loop ... end`: `br(0)` inside jumps back to its start. */
export const loop = (...body: Code[]): Code => [0x03, BLOCK_EMPTY, body, 0x0b];
/** `if ... end` on the i32 on the stack. */
export const ifThen = (...body: Code[]): Code => [0x04, BLOCK_EMPTY, body, 0x0b];
/** `if ... else ... end` on the i32 on the stack. */
export const ifElse = (then: Code[], otherwise: Code[]): Code => [0x04, BLOCK_EMPTY, then, 0x05, otherwise, 0x0b];
/** Branch to the enclosing block `depth` levels out (0 = innermost). */
export const br = (depth: number): Code => [0x0c, ...uleb(depth)];
/** Branch if the i32 on the stack is non-zero. */
export const brIf = (depth: number): Code => [0x0d, ...uleb(depth)];

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const bytes = Array.from(s, ch => ch.charCodeAt(0));
  return [...uleb(bytes.length), ...bytes];
}

/**
 * Module bytes (for `new WebAssembly.Module`): one imported memory (`env.memory`; `shared` memories declare
 * the 4 GiB maximum, as shared memories must) and the given functions.
 */
export function assemble(functions: WasmFunction[], memory: {shared: boolean}): ArrayBuffer {
  const types = functions.map(f => [0x60, ...vec(f.params.map(t => [VALTYPE[t]])), ...vec(f.results.map(t => [VALTYPE[t]]))]);
  const limits = memory.shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = vec([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  const exported = functions.flatMap((f, i) => (f.name ? [[...name(f.name), 0x00, ...uleb(i)]] : []));
  const bodies = functions.map(f => {
    // Locals are declared as runs of one type.
    const runs: number[][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === VALTYPE[t]) last[0]++;
      else runs.push([1, VALTYPE[t]]);
    }
    const body = [...vec(runs.map(([count, type]) => [...uleb(count), type])), ...flatten(f.body, []), 0x0b];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(exported)),
    ...section(10, vec(bodies)),
  ]).buffer;
}
