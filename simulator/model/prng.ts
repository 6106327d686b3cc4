// Seeded pseudo-random numbers (mulberry32): the same seed always gives the same catalog, world and
// traffic. Math.random is never used by the model, so a test can replay any run from its seed.

export class Prng {
  private state: number;

  constructor(seed: number) {
    // Fold the seed (any finite number, also negative or fractional) into 32 bits, then mix once so
    // that neighbouring seeds (1, 2, 3…) do not start with correlated outputs.
    const folded = (Math.trunc(seed) ^ Math.trunc((seed - Math.trunc(seed)) * 0x100000000)) >>> 0;
    this.state = (folded ^ 0x9e3779b9) >>> 0;
    this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [min, max]. */
  range(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** 32 random bits as 8 lower-case hex digits. */
  hex8(): string {
    return (Math.floor(this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
  }

  /** A version-4 UUID shaped identifier (segment ids look like the guide's "dab814ea-316d-439e-9364-8652b2cb3aa0"). */
  uuid(): string {
    const a = this.hex8();
    const b = this.hex8();
    const c = this.hex8();
    const d = this.hex8();
    const variant = ((parseInt(c[0] as string, 16) & 0x3) | 0x8).toString(16);
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
}
