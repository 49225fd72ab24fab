/**
 * A small seeded PRNG in plain JS. Resampling, SMOTE, ReMix and the dataset
 * splits draw their randomness here rather than from tf.random*, so the same
 * seed gives the same batches on every backend (cpu, wasm, webgl, node).
 */
import {checkNumber} from './validate';

/** sfc32 (Chris Doty-Humphrey's Small Fast Counter): 128-bit state, passes PractRand. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Any finite number seeds it; omit the seed for a time-based one. */
  constructor(seed: number = Date.now() ^ (Math.random() * 0x100000000)) {
    checkNumber('seed', seed);
    // splitmix32 spreads the seed over the four state words.
    let s = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box-Muller; one of the pair is discarded for simplicity). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  /**
   * log of a Gamma(shape, 1) draw (Marsaglia & Tsang 2000). For shape < 1 it
   * uses G(a) = G(a + 1) U^(1/a), in log space so tiny shapes do not underflow.
   */
  logGamma(shape: number): number {
    if (shape < 1) {
      let u = 0;
      while (u === 0) u = this.uniform();
      return this.logGamma(shape + 1) + Math.log(u) / shape;
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return Math.log(d * v);
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return Math.log(d * v);
    }
  }

  /** Beta(a, b) as G1 / (G1 + G2), computed from log-Gamma draws (exact, no underflow to 0/0). */
  beta(a: number, b: number): number {
    const la = this.logGamma(a);
    const lb = this.logGamma(b);
    // G1 / (G1 + G2) = 1 / (1 + exp(lb - la)) = sigmoid(la - lb)
    return 1 / (1 + Math.exp(lb - la));
  }

  /** Fisher-Yates shuffle in place; returns the array. */
  shuffle<T>(arr: T[] | Int32Array | Uint32Array): typeof arr {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
    return arr;
  }

  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p) as Int32Array;
  }
}
