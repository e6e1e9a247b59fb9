import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createApiClient, defaultUserAgent } from "../../src/api/client.ts";
import { ApiError, AuthError, RunosError } from "../../src/errors.ts";
import { createLogger } from "../../src/log.ts";
import { VERSION } from "../../src/version.ts";

const TOKEN = "runos_pat_test_secret_value_123456";

interface Seen {
  url: string;
  method: string;
  headers: Headers;
  body?: string;
}

/** A fetch stub answering from a queue of responses and recording each request. */
function stubFetch(answers: (() => Response | Promise<Response>)[]) {
  const seen: Seen[] = [];
  const fetchStub = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    seen.push({
      url: String(input),
      method: init?.method ?? "GET",
      headers: new Headers(init?.headers),
      ...(typeof init?.body === "string" ? { body: init.body } : {}),
    });
    const answer = answers.shift();
    if (answer === undefined) return Promise.reject(new TypeError("no more answers"));
    return Promise.resolve(answer());
  };
  return { seen, fetch: fetchStub as typeof fetch };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const noSleep = () => Promise.resolve();

describe("createApiClient", () => {
  it("sends the bearer token, the user agent and the query string; no Content-Type without a body", async () => {
    const stub = stubFetch([json(200, [{ id: "i4y" }])]);
    const client = createApiClient({ baseUrl: "https://api.example.test/", token: TOKEN, fetch: stub.fetch });
    const value = await client.send({ method: "GET", path: "/acme/clusters", query: { region: "eu west" } });
    assert.deepEqual(value, [{ id: "i4y" }]);
    const [request] = stub.seen;
    assert.equal(request!.url, "https://api.example.test/acme/clusters?region=eu+west");
    assert.equal(request!.headers.get("authorization"), `Bearer ${TOKEN}`);
    assert.equal(request!.headers.get("user-agent"), defaultUserAgent());
    assert.match(defaultUserAgent(), new RegExp(`^runos/${VERSION.replace(/\./g, "\\.")} \\((deno|bun|bun-compiled|node)\\)$`));
    assert.equal(request!.headers.get("content-type"), null);
  });

  it("sends a JSON body with Content-Type only when there is one", async () => {
    const stub = stubFetch([json(201, { id: "vk1", jobId: "0b7c2a52-1111-4222-8333-444455556666" })]);
    const client = createApiClient({ baseUrl: "https://api.example.test", token: TOKEN, fetch: stub.fetch });
    await client.send({ method: "POST", path: "/acme/i4y/services/valkey", body: { name: "cache" } });
    assert.equal(stub.seen[0]!.headers.get("content-type"), "application/json");
    assert.equal(stub.seen[0]!.body, '{"name":"cache"}');
  });

  it("rejects every request with AuthError when no token is configured, before the network", async () => {
    const stub = stubFetch([]);
    const client = createApiClient({ baseUrl: "https://api.example.test", fetch: stub.fetch });
    await assert.rejects(client.send({ method: "GET", path: "/acme/clusters" }), (error: unknown) => {
      assert.ok(error instanceof AuthError);
      assert.equal(error.message, "not authenticated: no stored login, and RUNOS_API_KEY is not set");
      return true;
    });
    assert.equal(stub.seen.length, 0);
  });

  it("retries a GET after a 503 but sends a POST exactly once", async () => {
    const getStub = stubFetch([json(503, { error: "unavailable", statusCode: 503 }), json(200, { ok: true })]);
    const getClient = createApiClient({ baseUrl: "https://x.test", token: TOKEN, fetch: getStub.fetch, sleep: noSleep });
    assert.deepEqual(await getClient.send({ method: "GET", path: "/acme/clusters" }), { ok: true });
    assert.equal(getStub.seen.length, 2);

    const postStub = stubFetch([json(503, { error: "unavailable", statusCode: 503 }), json(200, { ok: true })]);
    const postClient = createApiClient({ baseUrl: "https://x.test", token: TOKEN, fetch: postStub.fetch, sleep: noSleep });
    await assert.rejects(postClient.send({ method: "POST", path: "/acme/i4y/services/valkey", body: {} }), ApiError);
    assert.equal(postStub.seen.length, 1);
  });

  it("retries a POST marked idempotent", async () => {
    const stub = stubFetch([json(502, { error: "bad gateway", statusCode: 502 }), json(200, { rows: [] })]);
    const client = createApiClient({ baseUrl: "https://x.test", token: TOKEN, fetch: stub.fetch, sleep: noSleep });
    assert.deepEqual(await client.send({ method: "POST", path: "/acme/q", body: {}, idempotent: true }), { rows: [] });
    assert.equal(stub.seen.length, 2);
  });

  it("honours Retry-After on a 429 through the injected sleep", async () => {
    const waits: number[] = [];
    const stub = stubFetch([json(429, { error: "slow down", statusCode: 429 }, { "Retry-After": "2" }), json(200, [])]);
    const client = createApiClient({ baseUrl: "https://x.test", token: TOKEN, fetch: stub.fetch, sleep: (ms) => { waits.push(ms); return Promise.resolve(); } });
    await client.send({ method: "GET", path: "/acme/clusters" });
    assert.deepEqual(waits, [2000]);
  });

  it("turns a request that outlives its deadline into an ApiError about the timeout", async () => {
    const hanging = (_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      });
    const client = createApiClient({ baseUrl: "https://x.test", token: TOKEN, fetch: hanging as typeof fetch, retries: 0 });
    await assert.rejects(client.send({ method: "GET", path: "/acme/clusters", timeoutMs: 20 }), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.match(error.message, /did not answer within/);
      return true;
    });
  });

  it("says a write that timed out or lost its connection may have happened, and never advises a blind retry", async () => {
    const hanging = (_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      });
    const slow = createApiClient({ baseUrl: "https://x.test", token: TOKEN, fetch: hanging as typeof fetch, retries: 0 });
    await assert.rejects(slow.send({ method: "POST", path: "/acme/i4y/services/valkey", body: {}, timeoutMs: 20 }), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.match(error.message, /did not answer within .*; the change may have happened/);
      assert.match(error.hint ?? "", /may have been applied: check .* before trying again/);
      assert.doesNotMatch(error.hint ?? "", /^retry/);
      return true;
    });
    const reset = (() => Promise.reject(new TypeError("ECONNRESET: socket hang up"))) as typeof fetch;
    const broken = createApiClient({ baseUrl: "https://x.test", token: TOKEN, fetch: reset, retries: 0 });
    await assert.rejects(broken.send({ method: "POST", path: "/acme/i4y/apps/web/deploy", body: {} }), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.match(error.hint ?? "", /may have been applied/);
      return true;
    });
    const refused = (() => Promise.reject(new TypeError("connect ECONNREFUSED 127.0.0.1:1"))) as typeof fetch;
    await assert.rejects(createApiClient({ baseUrl: "https://x.test", token: TOKEN, fetch: refused, retries: 0 }).send({ method: "POST", path: "/acme/x", body: {} }), (error: unknown) => {
      assert.match((error as ApiError).hint ?? "", /your network connection/);
      return true;
    });
  });

  it("says what was tried and why it got no answer, in plain words, whichever runtime threw", async () => {
    const bunRefused = Object.assign(new TypeError("ECONNREFUSED: Unable to connect. Is the computer able to access the url?"), { code: "ECONNREFUSED" });
    const denoRefused = new TypeError("fetch failed", {
      cause: new Error("error sending request for url (http://127.0.0.1:9/acme/clusters): client error (Connect): tcp connect error: Connection refused (os error 111)"),
    });
    const bunNoHost = Object.assign(new TypeError("getaddrinfo ENOTFOUND api.nowhere.test"), { code: "ENOTFOUND" });
    const denoNoHost = new TypeError("fetch failed", {
      cause: new Error("error sending request for url (https://api.nowhere.test/acme/clusters): client error (Connect): dns error: failed to lookup address information: Name or service not known"),
    });
    const denoBadCertificate = new TypeError("fetch failed", {
      cause: new Error("error sending request for url (https://api.example.test/acme/clusters): client error (Connect): invalid peer certificate: UnknownIssuer"),
    });
    const cases = [
      [bunRefused, "connection refused"],
      [denoRefused, "connection refused"],
      [bunNoHost, "no such host (the name does not resolve)"],
      [denoNoHost, "no such host (the name does not resolve)"],
      [denoBadCertificate, "TLS: invalid peer certificate: UnknownIssuer"],
    ] as const;
    for (const [thrown, reason] of cases) {
      const client = createApiClient({ baseUrl: "http://127.0.0.1:9", token: TOKEN, fetch: (() => Promise.reject(thrown)) as typeof fetch, retries: 0 });
      await assert.rejects(client.send({ method: "GET", path: "/acme/clusters" }), (error: unknown) => {
        assert.ok(error instanceof ApiError);
        assert.equal(error.message, `could not reach the RunOS API at http://127.0.0.1:9 (GET /acme/clusters): ${reason}`);
        assert.doesNotMatch(error.message, /Is the computer able|fetch failed|os error/);
        return true;
      });
    }
  });

  it("names the setting that chose the unreachable URL: the flag, the variable or the profile, never one that was not used", async () => {
    const refused = (() => Promise.reject(Object.assign(new TypeError("ECONNREFUSED"), { code: "ECONNREFUSED" }))) as typeof fetch;
    const hintFor = async (origin?: "flag" | "env" | "profile" | "default") => {
      const client = createApiClient({ baseUrl: "http://127.0.0.1:9", token: TOKEN, fetch: refused, retries: 0, ...(origin === undefined ? {} : { origin: { url: origin } }) });
      return await client.send({ method: "GET", path: "/acme/clusters" }).then(() => assert.fail("answered"), (error: ApiError) => error.hint);
    };
    assert.equal(await hintFor("flag"), "check the URL given with --api-url and your network connection");
    assert.equal(await hintFor("env"), "check RUNOS_API_URL and your network connection");
    assert.equal(await hintFor("profile"), "check the profile's API URL (`runos config get api-url`) and your network connection");
    assert.equal(await hintFor("default"), "check your network connection");
    assert.match(await hintFor() ?? "", /--api-url, RUNOS_API_URL or `runos config get api-url`/);
  });

  it("gives a read after a pause a connection of its own, so the runtime cannot replay it on a reset; a warm burst reuses one", async () => {
    const inits: RequestInit[] = [];
    const recording = ((_input: RequestInfo | URL, init?: RequestInit) => {
      inits.push(init ?? {});
      return Promise.resolve(Response.json([]));
    }) as typeof fetch;
    const client = createApiClient({ baseUrl: "https://x.test", token: TOKEN, fetch: recording, retries: 0 });
    const own = (init: RequestInit) => (init as { keepalive?: boolean }).keepalive === false || "client" in init;
    await client.send({ method: "GET", path: "/acme/clusters" });
    await client.send({ method: "GET", path: "/acme/clusters" });
    await client.send({ method: "POST", path: "/acme/i4y/services/valkey", body: {} });
    assert.equal(own(inits[0]!), true, "the first read opens its own connection");
    assert.equal(own(inits[1]!), false, "a read right after an answer reuses the warm connection");
    assert.equal(own(inits[2]!), false, "a write is never replayed by the runtime, so it may reuse");
  });

  it("does not try a timed-out request again, even an idempotent one", async () => {
    let calls = 0;
    const hanging = (_input: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      });
    };
    const client = createApiClient({ baseUrl: "https://x.test", token: TOKEN, fetch: hanging as typeof fetch, retries: 2, sleep: () => Promise.resolve() });
    await assert.rejects(client.send({ method: "GET", path: "/acme/clusters", timeoutMs: 20 }), /did not answer within/);
    assert.equal(calls, 1);
  });

  it("reports a network failure as ApiError naming the API URL", async () => {
    const client = createApiClient({ baseUrl: "https://x.test", token: TOKEN, fetch: stubFetch([]).fetch, retries: 0 });
    await assert.rejects(client.send({ method: "GET", path: "/acme/clusters" }), /could not reach the RunOS API at https:\/\/x\.test/);
  });

  it("never puts the token in an error message, even when the API echoes it", async () => {
    const answers = [
      json(401, { error: `token ${TOKEN} is revoked`, statusCode: 401, reason: "revoked" }),
      json(500, { error: `internal: Bearer ${TOKEN}`, statusCode: 500, upstream: { header: `Bearer ${TOKEN}` } }),
      () => { throw new TypeError(`connect failed for ${TOKEN}`); },
    ];
    for (const answer of answers) {
      const client = createApiClient({ baseUrl: "https://x.test", token: TOKEN, fetch: stubFetch([answer]).fetch, retries: 0 });
      const error = await client.send({ method: "GET", path: "/acme/account" }).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof RunosError);
      assert.ok(!error.message.includes(TOKEN), error.message);
      assert.ok(!JSON.stringify(error.details ?? {}).includes(TOKEN));
    }
  });

  it("logs each request at debug level without the token", async () => {
    const lines: string[] = [];
    const log = createLogger({ level: "debug", write: (line) => lines.push(line) });
    const plainToken = "plain-token-without-prefix-42";
    const answers = [json(200, {}), () => { throw new TypeError(`connect failed for ${plainToken}`); }];
    const client = createApiClient({ baseUrl: "https://x.test", token: plainToken, fetch: stubFetch(answers).fetch, retries: 0, log });
    await client.send({ method: "GET", path: "/acme/clusters" });
    await assert.rejects(client.send({ method: "GET", path: "/acme/clusters" }), ApiError);
    assert.match(lines[0]!, /GET \/acme\/clusters → HTTP 200/);
    assert.equal(lines.length, 2);
    assert.ok(lines.every((line) => !line.includes(plainToken)), lines.join(""));
  });

  it("exposes status, headers and raw text through exchange (ETag and 304)", async () => {
    const stub = stubFetch([() => new Response(null, { status: 304, headers: { etag: '"v1"' } })]);
    const client = createApiClient({ baseUrl: "https://x.test", token: TOKEN, fetch: stub.fetch });
    const response = await client.exchange!({ method: "GET", path: "/acme/cli/manifest", headers: { "If-None-Match": '"v1"' } });
    assert.equal(response.status, 304);
    assert.equal(response.value, null);
    assert.equal(stub.seen[0]!.headers.get("if-none-match"), '"v1"');
  });
});
