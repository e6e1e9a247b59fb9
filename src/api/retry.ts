/**
 * Retries that honour the contract: bounded attempts, for idempotent requests only (a POST that
 * failed may have been applied, so it is never sent twice), with jittered exponential backoff that is
 * never shorter than the base delay, a valid Retry-After honoured (never below that floor either), and
 * a cap on the TOTAL wait across all retries. When the API asks to wait longer than what remains,
 * the call gives up at once. The final error says how many attempts were made and how long was
 * waited (`details.attempts`, `details.waitedMs`, and the message).
 */
import { ApiError, RateLimitError, RunosError } from "../errors.ts";

/** Waits `ms` milliseconds; injectable so tests never sleep. */
export type Sleep = (ms: number) => Promise<void>;

/** A real sleep (its timer is always cleared by firing). */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Options of {@link withRetries}. */
export interface RetryOptions {
  /** Extra attempts after the first (default 2, so 3 attempts in all). */
  readonly retries?: number;
  readonly sleep?: Sleep;
  /** Source of jitter in [0, 1); injectable for deterministic tests. */
  readonly random?: () => number;
  /** The most waited across all retries of one request, in milliseconds (default 10 s). */
  readonly maxTotalWaitMs?: number;
}

/** The shortest wait before any retry, and the first backoff step. */
export const BASE_DELAY_MS = 250;
/** The longest single backoff step (before jitter). */
export const MAX_DELAY_MS = 5_000;
/** The default cap on the total wait across all retries of one request. */
export const DEFAULT_MAX_TOTAL_WAIT_MS = 10_000;

/** Whether an error is worth another attempt: 429, 5xx and network failures, but not a timeout. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof RateLimitError) return true;
  // A request that already waited its whole timeout is not tried again: three of them would keep the
  // user waiting minutes for the same answer.
  if (error instanceof ApiError) return error.details?.timedOut !== true && (error.status === undefined || error.status >= 500);
  return false;
}

/**
 * Delay before attempt `attempt + 2` (attempt counts retries from 0): 250 ms · 2^attempt, capped at
 * 5 s, plus up to 50 % jitter, so never less than 250 ms.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt));
  return Math.round(base + base * 0.5 * Math.min(Math.max(random(), 0), 1));
}

/** The wait the API asked for, in seconds, if it gave a usable one (429 or 503 with Retry-After). */
function requestedWaitSeconds(error: unknown): number | undefined {
  const seconds = error instanceof RateLimitError
    ? error.retryAfterSeconds
    : error instanceof RunosError
    ? error.details?.retryAfterSeconds
    : undefined;
  return typeof seconds === "number" && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

const formatSeconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const attemptsText = (attempts: number) => `${attempts} attempt${attempts === 1 ? "" : "s"}`;

/** The final error, telling how many attempts were made and how long was waited. */
function finalError(error: unknown, attempts: number, waitedMs: number, why?: string): unknown {
  if (!(error instanceof RunosError)) return error;
  const note = why ?? `after ${attemptsText(attempts)}, ${formatSeconds(waitedMs)} of waiting`;
  error.message = `${error.message} (${note})`;
  Object.defineProperty(error, "details", { value: { ...error.details, attempts, waitedMs }, enumerable: true, configurable: true });
  return error;
}

/**
 * Run `attempt` and, when `idempotent`, retry it while it fails with a retryable error, within the
 * attempt and total-wait budgets. The last error is thrown; once any retry was considered, it carries
 * `attempts` and `waitedMs` in its details and says so in its message.
 */
export async function withRetries<T>(idempotent: boolean, attempt: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = idempotent ? 1 + Math.max(0, Math.floor(options.retries ?? 2)) : 1;
  const sleep = options.sleep ?? realSleep;
  const budget = Math.max(0, options.maxTotalWaitMs ?? DEFAULT_MAX_TOTAL_WAIT_MS);
  let waited = 0;
  for (let made = 1;; made++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isRetryable(error) || !idempotent) throw error;
      if (made >= attempts) throw made === 1 ? error : finalError(error, made, waited);
      const remaining = budget - waited;
      const askedSeconds = requestedWaitSeconds(error);
      if (askedSeconds !== undefined && askedSeconds * 1000 > remaining) {
        const left = waited === 0 ? `runos waits at most ${formatSeconds(budget)}` : `only ${formatSeconds(remaining)} of waiting was left`;
        throw finalError(error, made, waited, `the API asked to wait ${askedSeconds} s and ${left}: gave up after ${attemptsText(made)}`);
      }
      let delay = Math.max(BASE_DELAY_MS, askedSeconds !== undefined ? askedSeconds * 1000 : backoffDelay(made - 1, options.random));
      if (delay > remaining) {
        if (remaining < BASE_DELAY_MS) throw finalError(error, made, waited);
        delay = remaining;
      }
      await sleep(delay);
      waited += delay;
    }
  }
}
