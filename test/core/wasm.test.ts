import {assemble, block, br, brIf, ifElse, ifThen, loop, op, sleb, uleb} from '../../src/core/wasm';
import type {WasmFunction} from '../../src/core/wasm';

const {get, set, tee, i32} = op;

/** Instantiates the functions on a fresh one-page memory. */
function instantiate(functions: WasmFunction[]): {exports: Record<string, (...args: number[]) => number>; memory: WebAssembly.Memory} {
  const memory = new WebAssembly.Memory({initial: 1});
  const instance = new WebAssembly.Instance(new WebAssembly.Module(assemble(functions, {shared: false})), {env: {memory}});
  return {exports: instance.exports as unknown as Record<string, (...args: number[]) => number>, memory};
}

describe('the WebAssembly binary writer', () => {
  it('LEB128 encodings (spec examples)', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb(65536)).toEqual([0x80, 0x80, 0x04]);
    expect(sleb(0)).toEqual([0]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-64)).toEqual([0x40]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  it('structured control flow, calls and i32 arithmetic: sum of 1..n and a branchy function', () => {
    const [n, acc] = [0, 1];
    const sum: WasmFunction = {
      name: 'sum', params: ['i32'], results: ['i32'], locals: ['i32'],
      body: [
        i32(0), set(acc),
        block(loop(get(n), op.i32Eqz, brIf(1), get(acc), get(n), op.i32Add, set(acc), get(n), i32(1), op.i32Sub, set(n), br(0))),
        get(acc),
      ],
    };
    // sign(x): if / else, nested if; then + sum(0) (= 0), which checks `call` and the stack order.
    const sign: WasmFunction = {
      name: 'sign', params: ['i32'], results: ['i32'], locals: ['i32'],
      body: [
        get(0), i32(0), op.i32LtS,
        ifElse([i32(-1), set(1)], [i32(0), set(1), get(0), ifThen(i32(1), set(1))]),
        get(1), i32(0), op.call(0),
        op.i32Add,
      ],
    };
    const {exports} = instantiate([sum, sign]);
    expect(exports.sum(10)).toBe(55);
    expect(exports.sum(1000)).toBe(500500);
    expect([exports.sign(-7), exports.sign(0), exports.sign(12)]).toEqual([-1, 0, 1]);
  });

  it('f32 and SIMD: a 4-lane multiply-add, splat, compare and bit mask match JS float32 arithmetic', () => {
    // out[0..3] = a * splat(s) + b; returns bitmask(out < splat(1.5)).
    const [a, s, b, out, v] = [0, 1, 2, 3, 4];
    const fma: WasmFunction = {
      name: 'fma', params: ['i32', 'i32', 'i32', 'i32'], results: ['i32'], locals: ['v128'],
      body: [
        get(a), op.v128Load(), get(s), op.v128Load32Splat(), op.f32x4Mul, get(b), op.v128Load(), op.f32x4Add, set(v),
        get(out), get(v), op.v128Store(),
        get(v), op.f32(1.5), op.f32x4Splat, op.f32x4Lt, op.i32x4Bitmask,
      ],
    };
    const {exports, memory} = instantiate([fma]);
    const f = new Float32Array(memory.buffer);
    f.set([0.1, -2, 3.3, 0.7], 0);
    f[4] = 1.7;
    f.set([1e-3, 0.25, -4, 0.3], 8);
    const mask = exports.fma(0, 16, 32, 48);
    const want = [0, 1, 2, 3].map(i => Math.fround(Math.fround(f[i] * f[4]) + f[8 + i]));
    expect(Array.from(f.subarray(12, 16))).toEqual(want);
    expect(mask).toBe(want.reduce((m, w, i) => m | (w < 1.5 ? 1 << i : 0), 0));
  });

  it('a shared-memory module validates and runs on a shared memory (atomics)', () => {
    const inc: WasmFunction = {name: 'inc', params: ['i32'], results: ['i32'], locals: [], body: [get(0), i32(5), op.i32AtomicAdd(4)]};
    const module = new WebAssembly.Module(assemble([inc], {shared: true}));
    const memory = new WebAssembly.Memory({initial: 1, maximum: 1, shared: true});
    const run = new WebAssembly.Instance(module, {env: {memory}}).exports.inc as (p: number) => number;
    expect(run(8)).toBe(0);
    expect(run(8)).toBe(5);
    expect(new Int32Array(memory.buffer)[3]).toBe(10);
    expect(tee(3)).toEqual([0x22, 3]);
  });
});
