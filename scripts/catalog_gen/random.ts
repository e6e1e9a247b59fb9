/**
 * Deterministic choices for the catalog generator: every command draws from its own generator seeded
 * with the FNV-1a hash of its path, so the output is the same bytes on every run and adding a command
 * does not reshuffle the others.
 */
import { fnv1a } from "../../src/catalog/naming.ts";

/** A seeded source of numbers in [0, 1). */
export interface Random {
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** `count` distinct elements of a list, in a stable shuffled order. */
  sample<T>(items: readonly T[], count: number): T[];
}

/** mulberry32 seeded from a string's FNV-1a hash. */
export function randomFor(key: string): Random {
  let state = parseInt(fnv1a(key), 16) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    sample: (items, count) => {
      const pool = [...items];
      const out: typeof pool = [];
      while (out.length < count && pool.length > 0) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0]!);
      return out;
    },
  };
  return random;
}
