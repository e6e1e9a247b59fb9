import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { interpretResponse, parseRetryAfter } from "../../src/api/response.ts";
import {
  ApiError,
  AuthError,
  ConflictError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ValidationError,
} from "../../src/errors.ts";

function raw(status: number, body: unknown, headers: Record<string, string> = {}) {
  return { status, headers: new Headers(headers), text: typeof body === "string" ? body : JSON.stringify(body) };
}

function rejects(status: number, body: unknown, headers: Record<string, string> = {}): unknown {
  try {
    interpretResponse(raw(status, body, headers), "GET /acme/x");
  } catch (error) {
    return error;
  }
  assert.fail(`HTTP ${status} was accepted`);
}

describe("interpretResponse", () => {
  it("returns the parsed JSON of a success, null for an empty body and for 304", () => {
    assert.deepEqual(interpretResponse(raw(200, { id: "c1" }), "GET /"), { id: "c1" });
    assert.equal(interpretResponse(raw(204, ""), "DELETE /"), null);
    assert.equal(interpretResponse(raw(304, ""), "GET /"), null);
  });

  it("401 → AuthError saying the token was refused (a revoked one named), with `runos login` as the next step, once", () => {
    const error = rejects(401, { error: "Invalid token", statusCode: 401, reason: "revoked" });
    assert.ok(error instanceof AuthError);
    assert.match(error.message, /^not authenticated: the RunOS API refused the token \(it was revoked\); the API said: Invalid token$/);
    assert.match(error.hint ?? "", /^run `runos login`/);
    assert.doesNotMatch(error.message, /runos login/);
  });

  it("401 without a reason still says what to do", () => {
    const error = rejects(401, { error: "Invalid token", statusCode: 401 });
    assert.ok(error instanceof AuthError);
    assert.match(error.message, /^not authenticated: the RunOS API refused the token; /);
    assert.match(error.hint ?? "", /runos login/);
  });

  it("a refused RUNOS_API_KEY is named, and its fix is to replace or unset it, not to set it", () => {
    const raw401 = raw(401, { error: "Invalid token", statusCode: 401 });
    const fromEnv = (() => {
      try {
        interpretResponse(raw401, "GET /acme/clusters", Date.now(), { token: "env" });
      } catch (error) {
        return error as AuthError;
      }
      throw new Error("no error");
    })();
    assert.match(fromEnv.message, /refused the key in RUNOS_API_KEY/);
    assert.match(fromEnv.hint ?? "", /^replace the key in RUNOS_API_KEY with a valid personal access token.*, or unset RUNOS_API_KEY/);
    assert.doesNotMatch(fromEnv.hint ?? "", /set RUNOS_API_KEY and RUNOS_ACCOUNT_ID/);
    const stored = (() => {
      try {
        interpretResponse(raw401, "GET /acme/clusters", Date.now(), { token: "file" });
      } catch (error) {
        return error as AuthError;
      }
      throw new Error("no error");
    })();
    assert.match(stored.message, /refused the token stored by `runos login`/);
    assert.match(stored.hint ?? "", /^run `runos login` again/);
  });

  it("a SQL error (a SQLSTATE code, no field list) asks to correct the statement, not \"the listed arguments\"", () => {
    const syntax = rejects(400, { error: 'syntax error at or near "selec"', statusCode: 400, code: "42601" });
    assert.ok(syntax instanceof ValidationError);
    assert.equal(syntax.hint, "the database refused the SQL: correct the statement and retry");
    const listed = rejects(422, { error: "invalid input", statusCode: 422, fields: [{ name: "replicas", message: "must be at most 5" }] });
    assert.equal((listed as ValidationError).hint, "fix the listed arguments and retry");
    const bare = rejects(400, { error: "name is taken", statusCode: 400 });
    assert.equal((bare as ValidationError).hint, "correct what the message names and retry");
  });

  it("403 → PermissionDeniedError, 404 → NotFoundError", () => {
    assert.ok(rejects(403, { error: "forbidden", statusCode: 403 }) instanceof PermissionDeniedError);
    const missing = rejects(404, { error: "service vk9 not found", statusCode: 404, code: "service.not_found" });
    assert.ok(missing instanceof NotFoundError);
    assert.match(missing.message, /vk9 not found/);
    assert.equal(missing.details?.code, "service.not_found");
  });

  it("409 → ConflictError listing each dependent in the message and details", () => {
    const error = rejects(409, {
      error: "service is in use",
      statusCode: 409,
      dependents: [{ type: "app", id: "ap1", name: "web" }, { type: "app", id: "ap2", name: "worker" }],
    });
    assert.ok(error instanceof ConflictError);
    assert.match(error.message, /app ap1 \(web\), app ap2 \(worker\)/);
    assert.equal((error.details?.dependents as unknown[]).length, 2);
  });

  it("422 and 400 → ValidationError listing the field errors", () => {
    const error = rejects(422, { error: "invalid input", statusCode: 422, fields: [{ name: "replicas", message: "must be ≥ 1" }, { name: "name", message: "taken" }] });
    assert.ok(error instanceof ValidationError);
    assert.match(error.message, /replicas: must be ≥ 1; name: taken/);
    assert.deepEqual((error.details?.fields as unknown[]).length, 2);
    assert.ok(rejects(400, { error: "key in both env files", statusCode: 400 }) instanceof ValidationError);
  });

  it("429 → RateLimitError with Retry-After seconds", () => {
    const error = rejects(429, { error: "slow down", statusCode: 429 }, { "Retry-After": "7" });
    assert.ok(error instanceof RateLimitError);
    assert.equal(error.retryAfterSeconds, 7);
  });

  it("5xx and unparsable error bodies → ApiError with the status", () => {
    const error = rejects(503, "<html>Bad gateway</html>");
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 503);
  });

  it("an error envelope sent with HTTP 200 is an error with its embedded status", () => {
    const error = rejects(200, { error: "cluster not found", statusCode: 404 });
    assert.ok(error instanceof NotFoundError);
    assert.match(error.message, /cluster not found/);
  });

  it("a 200 body with an `error` field but no statusCode (a failed job) is data, not an error", () => {
    const job = { id: "j1", status: "failed", error: "disk full" };
    assert.deepEqual(interpretResponse(raw(200, job), "GET /acme/jobs/j1"), job);
  });

  it("a 200 body that is not JSON is an ApiError", () => {
    assert.ok(rejects(200, "<html>login page</html>") instanceof ApiError);
  });
});

describe("parseRetryAfter", () => {
  it("reads delta seconds and HTTP dates", () => {
    assert.equal(parseRetryAfter("3"), 3);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 5_000), 5);
    assert.equal(parseRetryAfter("soon"), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });
});

describe("interpretResponse error wording", () => {
  it("does not repeat field errors or dependents the API's message already holds", () => {
    const invalid = rejects(422, { error: "validation failed: vars: values must be strings", statusCode: 422, fields: [{ name: "vars", message: "values must be strings" }] }) as Error;
    assert.equal(invalid.message.match(/values must be strings/g)?.length, 1);
    const conflict = rejects(409, { error: "users-db is used by app web", statusCode: 409, dependents: [{ type: "app", id: "a1web", name: "web" }] }) as Error;
    assert.doesNotMatch(conflict.message, /still used by/);
    const bare = rejects(409, { error: "in use", statusCode: 409, dependents: [{ type: "app", id: "a1web", name: "web" }] }) as Error;
    assert.match(bare.message, /still used by: app a1web \(web\)/);
  });

  it("points a read-only transaction refusal at read-write mode, not at the arguments", () => {
    const error = rejects(400, { error: "cannot execute DELETE in a read-only transaction", statusCode: 400, code: "25006" }) as { hint?: string };
    assert.match(error.hint ?? "", /read-write mode/);
  });
});

describe("parseRetryAfter: only what RFC 9110 allows", () => {
  const now = Date.UTC(2030, 0, 1, 12, 0, 0);
  const cases: Array<[string | null, number | undefined]> = [
    ["3", 3],
    [" 3 ", 3],
    ["0", 0],
    ["-5", undefined],
    ["1.5", undefined],
    ["+3", undefined],
    ["3s", undefined],
    ["", undefined],
    ["Tue, 01 Jan 2030 12:00:05 GMT", 5],
    ["Tuesday, 01-Jan-30 12:00:05 GMT", 5],
    ["Tue Jan  1 12:00:05 2030", 5],
    ["Tue, 01 Jan 2030 11:00:00 GMT", 0],
    ["2030-01-01T12:00:05Z", undefined],
    ["Tue, 32 Jan 2030 12:00:05 GMT", undefined],
  ];
  for (const [header, seconds] of cases) {
    it(`${JSON.stringify(header)} → ${seconds}`, () => assert.equal(parseRetryAfter(header, now), seconds));
  }

  it("puts a 503's Retry-After into the error's details", () => {
    const error = rejects(503, { error: "maintenance", statusCode: 503 }, { "Retry-After": "12" }) as ApiError;
    assert.equal(error.details?.retryAfterSeconds, 12);
  });
});
