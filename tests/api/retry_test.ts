import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { backoffDelay, withRetries } from "../../src/api/retry.ts";
import { ApiError, NotFoundError, RateLimitError } from "../../src/errors.ts";

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
