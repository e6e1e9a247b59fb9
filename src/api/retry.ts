/**
 * Bounded retries with exponential backoff and jitter, for idempotent requests only: a POST that
 * timed out may have been applied, so it is never sent twice. Honours Retry-After.
 */
import { ApiError, RateLimitError } from "../errors.ts";

/** Waits `ms` milliseconds; injectable so tests never sleep. */
export type Sleep = (ms: number) => Promise<void>;

/** A real sleep (its timer is always cleared by firing). */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Options of {@link withRetries}. */
export interface RetryOptions {
  /** Extra attempts after the first (default 2). */
  readonly retries?: number;
  readonly sleep?: Sleep;
  /** Source of jitter in [0, 1); injectable for deterministic tests. */
  readonly random?: () => number;
  /** Longest Retry-After we are willing to wait, in seconds; longer → give up at once (default 30). */
  readonly maxRetryAfterSeconds?: number;
}

const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

/** Whether an error is worth another attempt: 429, 5xx, timeouts and network failures. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof RateLimitError) return true;
  // A request that already waited its whole timeout is not tried again: three of them would keep the
  // user waiting minutes for the same answer.
  if (error instanceof ApiError) return error.details?.timedOut !== true && (error.status === undefined || error.status >= 500);
  return false;
}

/** Delay before attempt `attempt + 1` (attempt counts from 0): 250 ms · 2^attempt, capped, plus up to 50 % jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.round(base + base * 0.5 * random());
}

/**
 * Run `attempt` and retry it while it fails with a retryable error, when `idempotent` is true.
 * The last error is thrown unchanged.
 */
export async function withRetries<T>(idempotent: boolean, attempt: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = idempotent ? Math.max(0, options.retries ?? 2) : 0;
  const sleep = options.sleep ?? realSleep;
  const maxRetryAfter = options.maxRetryAfterSeconds ?? 30;
  for (let tried = 0;; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (tried >= retries || !isRetryable(error)) throw error;
      const retryAfter = error instanceof RateLimitError ? error.retryAfterSeconds : undefined;
      if (retryAfter !== undefined && retryAfter > maxRetryAfter) throw error;
      await sleep(retryAfter !== undefined ? retryAfter * 1000 : backoffDelay(tried, options.random));
    }
  }
}
