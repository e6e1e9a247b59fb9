import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createApiClient } from "../../src/api/client.ts";
import { backoffDelay, withRetries } from "../../src/api/retry.ts";
import { ApiError, NotFoundError, RateLimitError, RunosError } from "../../src/errors.ts";

/** A sleep that records what it was asked to wait and returns at once. */
function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: (ms: number) => { waits.push(ms); return Promise.resolve(); } };
}

function failing(errors: Error[], value = "ok") {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    run: () => {
      const error = errors[calls++];
      return error === undefined ? Promise.resolve(value) : Promise.reject(error);
    },
  };
}

describe("withRetries", () => {
  it("retries an idempotent request after 5xx and network errors, then succeeds", async () => {
    const { waits, sleep } = recordingSleep();
    const attempt = failing([new ApiError("boom", { status: 502 }), new ApiError("network down")]);
    assert.equal(await withRetries(true, attempt.run, { sleep, retries: 2, random: () => 0 }), "ok");
    assert.equal(attempt.calls, 3);
    assert.deepEqual(waits, [250, 500]);
  });

  it("never retries a non-idempotent request", async () => {
    const { waits, sleep } = recordingSleep();
    const attempt = failing([new ApiError("timeout")]);
    await assert.rejects(withRetries(false, attempt.run, { sleep }), /timeout/);
    assert.equal(attempt.calls, 1);
    assert.deepEqual(waits, []);
  });

  it("does not retry 4xx answers other than 429", async () => {
    const { sleep } = recordingSleep();
    const attempt = failing([new NotFoundError("gone")]);
    await assert.rejects(withRetries(true, attempt.run, { sleep }), NotFoundError);
    assert.equal(attempt.calls, 1);
  });

  it("waits exactly Retry-After before retrying a 429", async () => {
    const { waits, sleep } = recordingSleep();
    const attempt = failing([new RateLimitError("slow", { retryAfterSeconds: 4 })]);
    assert.equal(await withRetries(true, attempt.run, { sleep }), "ok");
    assert.deepEqual(waits, [4000]);
  });

  it("gives up at once when Retry-After is longer than it is willing to wait", async () => {
    const { waits, sleep } = recordingSleep();
    const attempt = failing([new RateLimitError("slow", { retryAfterSeconds: 3600 })]);
    await assert.rejects(withRetries(true, attempt.run, { sleep }), RateLimitError);
    assert.deepEqual(waits, []);
  });

  it("stops after the retry budget and throws the last error", async () => {
    const { sleep } = recordingSleep();
    const attempt = failing([new ApiError("a", { status: 500 }), new ApiError("b", { status: 500 }), new ApiError("c", { status: 500 })]);
    await assert.rejects(withRetries(true, attempt.run, { sleep, retries: 2 }), /^ApiError: c$|c/);
    assert.equal(attempt.calls, 3);
  });
});

describe("backoffDelay", () => {
  it("grows exponentially, adds at most 50 % jitter, and is capped", () => {
    assert.equal(backoffDelay(0, () => 0), 250);
    assert.equal(backoffDelay(1, () => 0), 500);
    assert.equal(backoffDelay(1, () => 0.999), 750);
    assert.equal(backoffDelay(20, () => 0), 5000);
  });
});

/** One answer of the stub API: an HTTP status (with its Retry-After, if any), or a connection reset. */
type Answer = { status: number; retryAfter?: string } | "reset";

interface ContractCase {
  readonly name: string;
  readonly method: "GET" | "POST";
  readonly answers: readonly Answer[];
  readonly retries?: number;
  readonly random?: number;
  /** Requests that reached the API. */
  readonly calls: number;
  /** What the client slept, in order. */
  readonly waits: readonly number[];
  /** The final error's message (undefined: the call succeeds). */
  readonly error?: RegExp;
  /** `details.attempts` and `details.waitedMs` of the final error (undefined: none reported). */
  readonly reported?: { attempts: number; waitedMs: number };
}

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const httpDate = (offsetSeconds: number) => new Date(NOW + offsetSeconds * 1000).toUTCString();

const CONTRACT: readonly ContractCase[] = [
  { name: "a negative Retry-After is ignored: backoff, never less than 250 ms", method: "GET", answers: [{ status: 429, retryAfter: "-5" }, { status: 200 }], calls: 2, waits: [250] },
  { name: "a negative Retry-After on 503 is ignored too", method: "GET", answers: [{ status: 503, retryAfter: "-5" }, { status: 503, retryAfter: "-5" }, { status: 200 }], calls: 3, waits: [250, 500] },
  { name: "a non-numeric Retry-After is ignored", method: "GET", answers: [{ status: 429, retryAfter: "soon" }, { status: 200 }], calls: 2, waits: [250] },
  { name: "a fractional Retry-After is ignored", method: "GET", answers: [{ status: 429, retryAfter: "1.5" }, { status: 200 }], calls: 2, waits: [250] },
  { name: "Retry-After: 0 still waits the base delay", method: "GET", answers: [{ status: 429, retryAfter: "0" }, { status: 200 }], calls: 2, waits: [250] },
  { name: "Retry-After in seconds is honoured", method: "GET", answers: [{ status: 429, retryAfter: "2" }, { status: 200 }], calls: 2, waits: [2000] },
  { name: "Retry-After on 503 is honoured", method: "GET", answers: [{ status: 503, retryAfter: "3" }, { status: 200 }], calls: 2, waits: [3000] },
  { name: "an HTTP-date Retry-After is read against the clock", method: "GET", answers: [{ status: 429, retryAfter: httpDate(4) }, { status: 200 }], calls: 2, waits: [4000] },
  { name: "an HTTP-date in the past waits the base delay", method: "GET", answers: [{ status: 429, retryAfter: httpDate(-60) }, { status: 200 }], calls: 2, waits: [250] },
  {
    name: "a Retry-After longer than the whole budget gives up at once, saying what the API asked",
    method: "GET",
    answers: [{ status: 429, retryAfter: "30" }, { status: 200 }],
    calls: 1,
    waits: [],
    error: /rate limited.*the API asked to wait 30 s and runos waits at most 10 s: gave up after 1 attempt\)$/,
    reported: { attempts: 1, waitedMs: 0 },
  },
  {
    name: "a Retry-After longer than what remains of the budget gives up",
    method: "GET",
    answers: [{ status: 429, retryAfter: "6" }, { status: 429, retryAfter: "8" }, { status: 200 }],
    calls: 2,
    waits: [6000],
    error: /the API asked to wait 8 s and only 4 s of waiting was left: gave up after 2 attempts\)$/,
    reported: { attempts: 2, waitedMs: 6000 },
  },
  {
    name: "a reset GET is retried with growing backoff, and the error says so",
    method: "GET",
    answers: ["reset", "reset", "reset"],
    calls: 3,
    waits: [250, 500],
    error: /could not reach the RunOS API.*\(after 3 attempts, 0\.8 s of waiting\)$/,
    reported: { attempts: 3, waitedMs: 750 },
  },
  { name: "a reset POST is never retried", method: "POST", answers: ["reset", { status: 200 }], calls: 1, waits: [], error: /^could not reach the RunOS API(?!.*attempt)/ },
  { name: "a 503 on POST is never retried", method: "POST", answers: [{ status: 503 }, { status: 200 }], calls: 1, waits: [], error: /HTTP 503(?!.*attempt)/ },
  { name: "a 401 is not retried", method: "GET", answers: [{ status: 401 }, { status: 200 }], calls: 1, waits: [], error: /^not authenticated(?!.*attempt)/ },
  { name: "jitter adds up to half, never takes away", method: "GET", answers: [{ status: 502 }, { status: 502 }, { status: 200 }], random: 0.999, calls: 3, waits: [375, 750] },
  {
    name: "the total wait is capped at 10 s, the last backoff cut to what remains",
    method: "GET",
    answers: Array.from({ length: 12 }, () => ({ status: 500 })),
    retries: 10,
    calls: 7,
    waits: [250, 500, 1000, 2000, 4000, 2250],
    error: /HTTP 500.*\(after 7 attempts, 10 s of waiting\)$/,
    reported: { attempts: 7, waitedMs: 10_000 },
  },
];

describe("the retry contract, through the API client (injected sleep, clock and jitter)", () => {
  for (const row of CONTRACT) {
    it(row.name, async () => {
      const waits: number[] = [];
      const queue = [...row.answers];
      let calls = 0;
      const fetchStub = (() => {
        calls++;
        const answer = queue.shift() ?? { status: 200 };
        if (answer === "reset") return Promise.reject(new TypeError("ECONNRESET: The socket connection was closed unexpectedly"));
        const headers: Record<string, string> = { "content-type": "application/json", ...(answer.retryAfter === undefined ? {} : { "retry-after": answer.retryAfter }) };
        const body = answer.status < 400 ? { ok: true } : { error: `failure ${answer.status}`, statusCode: answer.status };
        return Promise.resolve(new Response(JSON.stringify(body), { status: answer.status, headers }));
      }) as typeof fetch;
      const client = createApiClient({
        baseUrl: "https://api.example.test",
        token: "runos_pat_retry_contract_0000",
        fetch: fetchStub,
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
        now: () => NOW,
        random: () => row.random ?? 0,
        ...(row.retries === undefined ? {} : { retries: row.retries }),
      });
      const outcome = await client.send({ method: row.method, path: "/acme/clusters", ...(row.method === "POST" ? { body: {} } : {}) })
        .then(() => undefined, (error: unknown) => error);
      assert.equal(calls, row.calls, "requests sent");
      assert.deepEqual(waits, row.waits, "waits");
      if (row.error === undefined) {
        assert.equal(outcome, undefined);
        return;
      }
      assert.ok(outcome instanceof RunosError, String(outcome));
      assert.match(outcome.message, row.error);
      if (row.reported === undefined) assert.equal(outcome.details?.attempts, undefined);
      else assert.deepEqual({ attempts: outcome.details?.attempts, waitedMs: outcome.details?.waitedMs }, row.reported);
    });
  }
});
