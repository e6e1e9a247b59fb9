/**
 * The HTTP tier server in-process, against the fake RunOS API over loopback HTTP, driven by the SDK's
 * Streamable HTTP client and by raw requests: the token, Host and Origin checks, the body cap, the
 * taken port, progress and both ways of cancelling, draining on shutdown, and statelessness (two
 * instances answering one client in turn). Spawned processes for every tier: tests/e2e/http_test.ts.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { stateDir } from "../../../src/auth/config.ts";
import { createFakeApi, DEMO_ACCOUNT_ID, DEMO_TOKEN, type FakeApi, type FakeApiServer, serveFakeApiHttp } from "../../../src/fake_api/mod.ts";
import { type HttpServeOptions, MAX_BODY_BYTES, type RunningHttpServer, startHttpTierServer } from "../../../src/mcp/http/serve.ts";
import { isLoopbackHost, localMcpUrl, parseListenAddress, remoteWarning } from "../../../src/mcp/http/address.ts";
import { bearerToken, generateToken, MIN_TOKEN_LENGTH, resolveToken, tokenMatches } from "../../../src/mcp/http/auth.ts";
import { auditPath, readAudit } from "../../../src/mcp/call/audit.ts";
import { cancelScope } from "../../../src/mcp/http/cancel.ts";
import { requestGuard } from "../../../src/mcp/http/guard.ts";
import type { Tier } from "../../../src/policy/tier.ts";
import { connectHttpClient, INITIALIZE, postJson, rawRequest, TEST_TOKEN } from "../../_harness/http_server.ts";
import { markCatalogChecked, resultText, resultValue, runosEnv } from "../../_harness/mcp_client.ts";
import { until } from "../../_harness/poll.ts";
import { fastClock } from "../../_harness/sample_args.ts";
import { makeTempDir, type TempDir } from "../../_harness/temp_project.ts";

/** A call starting a job the fake API runs for about 4 s of wall time (its clock at half speed); a new name each time. */
let jobCalls = 0;
const jobCall = () => ({ name: "services_valkey_add", arguments: { cid: "i4y", name: `http-cache-${++jobCalls}`, replicas: 2 } });

/** The fake API over HTTP, a temp home, and HTTP tier servers started on demand; all closed after. */
function world() {
  let api: FakeApi | undefined;
  let http: FakeApiServer | undefined;
  let home: TempDir | undefined;
  const servers: RunningHttpServer[] = [];
  const clients: Client[] = [];
  const lines: string[] = [];
  const env = () => ({ ...runosEnv({ configDir: home!.path, apiUrl: http!.url, apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID }), RUNOS_MCP_TOKEN: TEST_TOKEN });
  const self = {
    lines,
    api: () => api!,
    async start(tier: Tier = "write", options: Partial<HttpServeOptions> = {}): Promise<RunningHttpServer> {
      if (api === undefined) {
        api = createFakeApi({ clock: fastClock(0.5) });
        http = await serveFakeApiHttp(api, { port: 0, hostname: "127.0.0.1" });
        home = await makeTempDir("http-inproc");
        await markCatalogChecked(home.path);
      }
      const server = await startHttpTierServer(tier, { address: { hostname: "127.0.0.1", port: 0 }, env: env(), stderr: (line) => void lines.push(line), ...options });
      servers.push(server);
      return server;
    },
    async client(server: RunningHttpServer, modern = false): Promise<Client> {
      const client = await connectHttpClient(server.url, TEST_TOKEN, { modern });
      clients.push(client);
      return client;
    },
    jobPolls: () => api!.log.filter((entry) => entry.method === "GET" && /\/jobs\//.test(entry.path)).length,
    /** Wait for the audit line of the call that started the job `name`: written once its handler returned, so it polls no more. */
    audited: (name: string) =>
      until(`the audit line of the call starting ${name}`, async () =>
        (await readAudit(auditPath(stateDir(env())), 1_000)).find((entry) => (entry.arguments as { name?: unknown } | undefined)?.name === name)),
  };
  after(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
    await Promise.all(servers.map((server) => server.shutdown({ graceMs: 0 }).catch(() => {})));
    await http?.close();
    await home?.remove();
  });
  return self;
}

describe("HTTP address, token and guard rules", () => {
  it("parses [host:]port, defaulting the host to 127.0.0.1", () => {
    assert.deepEqual(parseListenAddress("8080"), { hostname: "127.0.0.1", port: 8080 });
    assert.deepEqual(parseListenAddress("0.0.0.0:9000"), { hostname: "0.0.0.0", port: 9000 });
    assert.deepEqual(parseListenAddress("[::1]:8080"), { hostname: "::1", port: 8080 });
    assert.throws(() => parseListenAddress("localhost"), /not \[host:\]port/);
    assert.throws(() => parseListenAddress("70000"), /out of range/);
  });

  it("needs --allow-remote to bind anything but loopback, and then warns", () => {
    assert.equal(isLoopbackHost("127.0.0.1") && isLoopbackHost("::1") && isLoopbackHost("localhost"), true);
    assert.equal(remoteWarning({ hostname: "127.0.0.1", port: 1 }, false), undefined);
    assert.throws(() => remoteWarning({ hostname: "0.0.0.0", port: 8080 }, false), /reachable from other machines/);
    assert.match(remoteWarning({ hostname: "0.0.0.0", port: 8080 }, true) ?? "", /anyone holding the token/);
    assert.equal(localMcpUrl({ hostname: "0.0.0.0", port: 0 }, 8080), "http://127.0.0.1:8080/mcp");
  });

  it("takes the token from --token-file, else RUNOS_MCP_TOKEN, else generates one", async () => {
    const home = await makeTempDir("http-token");
    try {
      const file = join(home.path, "token");
      await writeFile(file, "from-the-file-0123456789\n");
      assert.deepEqual(await resolveToken({ tokenFile: file, env: { RUNOS_MCP_TOKEN: "from-the-env-0123456789" } }), { value: "from-the-file-0123456789", source: "file" });
      assert.deepEqual(await resolveToken({ env: { RUNOS_MCP_TOKEN: "from-the-env-0123456789" } }), { value: "from-the-env-0123456789", source: "env" });
      const generated = await resolveToken({ env: {} });
      assert.equal(generated.source, "generated");
      assert.match(generated.value, /^[A-Za-z0-9_-]{43}$/);
      assert.notEqual(generateToken(), generateToken());
      await assert.rejects(resolveToken({ env: { RUNOS_MCP_TOKEN: "" } }), new RegExp(`at least ${MIN_TOKEN_LENGTH} characters`));
      await assert.rejects(resolveToken({ tokenFile: join(home.path, "missing"), env: {} }), /cannot read the token file/);
    } finally {
      await home.remove();
    }
  });

  it("reads Bearer tokens and compares them whatever their lengths", () => {
    assert.equal(bearerToken("Bearer abc"), "abc");
    assert.equal(bearerToken("bearer abc"), "abc");
    assert.equal(bearerToken("Basic abc"), undefined);
    assert.equal(bearerToken(null), undefined);
    assert.equal(tokenMatches("s3cret-token", "s3cret-token"), true);
    assert.equal(tokenMatches("s3cret-token", "s3cret-toke"), false);
    assert.equal(tokenMatches("s3cret-token", ""), false);
  });

  it("accepts the bound Host and localhost forms on its port, same-origin and listed Origins only", () => {
    const guard = requestGuard({ address: { hostname: "127.0.0.1", port: 0 }, port: 8080, allowOrigins: ["http://localhost:6274"], allowHosts: ["mcp.example.com"] });
    const check = (host: string, origin?: string) => guard.check(new Headers({ host, ...(origin === undefined ? {} : { origin }) }));
    for (const host of ["127.0.0.1:8080", "localhost:8080", "[::1]:8080", "mcp.example.com", "mcp.example.com:443"]) assert.equal(check(host).ok, true, host);
    for (const host of ["evil.example.com", "127.0.0.1:8081", "localhost", "127.0.0.1.evil.example.com:8080"]) assert.equal(check(host).ok, false, host);
    assert.deepEqual(check("127.0.0.1:8080", "http://127.0.0.1:8080"), { ok: true, corsOrigin: "http://127.0.0.1:8080" });
    assert.deepEqual(check("127.0.0.1:8080", "http://localhost:6274"), { ok: true, corsOrigin: "http://localhost:6274" });
    for (const origin of ["http://evil.example.com", "http://localhost:6275", "null", "file://"]) assert.equal(check("127.0.0.1:8080", origin).ok, false, origin);
  });

  it("files a 2025-era call under its session label, so only that client's cancellation aborts it", () => {
    const scope = cancelScope();
    const mine = new AbortController();
    const theirs = new AbortController();
    const release = scope.file("label-a", { jsonrpc: "2.0", id: 3, method: "tools/call" }, mine);
    scope.file("label-b", { jsonrpc: "2.0", id: 3, method: "tools/call" }, theirs);
    scope.file("label-b", { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 3 } }, new AbortController());
    assert.equal(mine.signal.aborted, false);
    assert.equal(theirs.signal.aborted, true);
    release();
    assert.equal(scope.size(), 1);
    scope.file(null, { jsonrpc: "2.0", id: 4, method: "tools/call" }, new AbortController());
    assert.equal(scope.size(), 1, "nothing is filed without a label");
  });
});

describe("HTTP tier server: the doors", () => {
  const w = world();

  it("answers a request without a token 401 with a Bearer challenge naming its RFC 9728 metadata, which it serves", { timeout: 60_000 }, async () => {
    const server = await w.start("read");
    const response = await postJson(server.url, INITIALIZE);
    assert.equal(response.status, 401);
    const challenge = response.headers.get("www-authenticate") ?? "";
    const metadataUrl = /^Bearer resource_metadata="([^"]+)"$/.exec(challenge)?.[1];
    assert.equal(metadataUrl, server.url.replace("/mcp", "/.well-known/oauth-protected-resource/mcp"));
    await response.body?.cancel();
    for (const url of [metadataUrl!, server.url.replace("/mcp", "/.well-known/oauth-protected-resource")]) {
      const metadata = await fetch(url);
      assert.equal(metadata.status, 200, url);
      const document = await metadata.json() as Record<string, unknown>;
      assert.equal(document.resource, server.url);
      assert.deepEqual(document.bearer_methods_supported, ["header"]);
    }
  });

  it("answers a wrong token 401 invalid_token, and never prints a token it did not generate", { timeout: 60_000 }, async () => {
    const server = await w.start("read");
    const response = await postJson(server.url, INITIALIZE, { Authorization: "Bearer not-the-token-0123456789" });
    assert.equal(response.status, 401);
    assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer error="invalid_token", .*resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"$/);
    await response.body?.cancel();
    assert.equal(server.token.source, "env");
    assert.ok(w.lines.every((line) => !line.includes(TEST_TOKEN)), w.lines.join("\n"));
    assert.ok(w.lines.some((line) => line.includes("with the token from RUNOS_MCP_TOKEN")));
  });

  it("refuses a foreign Host with 403 before anything else (DNS rebinding), and accepts localhost forms", { timeout: 60_000 }, async () => {
    const server = await w.start("read");
    const port = new URL(server.url).port;
    const evil = await rawRequest(server.url, { method: "POST", headers: { Host: "evil.example.com", "Content-Type": "application/json" }, body: "{}" });
    assert.equal(evil.status, 403);
    assert.match((JSON.parse(evil.body) as { error: { message: string } }).error.message, /Host "evil\.example\.com" is not this server/);
    const local = await rawRequest(server.url, {
      method: "POST",
      headers: { Host: `localhost:${port}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream", Authorization: `Bearer ${TEST_TOKEN}` },
      body: JSON.stringify(INITIALIZE),
    });
    assert.equal(local.status, 200);
  });

  it("refuses a foreign Origin with 403, and gives a listed one CORS headers and a preflight", { timeout: 60_000 }, async () => {
    const server = await w.start("read", { allowOrigins: ["http://localhost:6274"] });
    const auth = { Authorization: `Bearer ${TEST_TOKEN}` };
    const evil = await postJson(server.url, INITIALIZE, { ...auth, Origin: "http://evil.example.com" });
    assert.equal(evil.status, 403);
    await evil.body?.cancel();
    const listed = await postJson(server.url, INITIALIZE, { ...auth, Origin: "http://localhost:6274" });
    assert.equal(listed.status, 200);
    assert.equal(listed.headers.get("access-control-allow-origin"), "http://localhost:6274");
    assert.match(listed.headers.get("access-control-expose-headers") ?? "", /Mcp-Session-Id/);
    await listed.body?.cancel();
    const preflight = await fetch(server.url, { method: "OPTIONS", headers: { Origin: "http://localhost:6274", "Access-Control-Request-Method": "POST" } });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /Authorization/);
  });

  it(`answers a body over ${MAX_BODY_BYTES} bytes 413 without reading it`, { timeout: 60_000 }, async () => {
    const server = await w.start("read");
    const big = JSON.stringify({ ...INITIALIZE, params: { ...INITIALIZE.params, padding: "x".repeat(MAX_BODY_BYTES) } });
    const response = await postJson(server.url, big, { Authorization: `Bearer ${TEST_TOKEN}` });
    assert.equal(response.status, 413);
    assert.match(await response.text(), /at most 4194304 bytes/);
  });

  it("reads a body sent chunked (no Content-Length) and refuses one over the cap with 413", { timeout: 60_000 }, async () => {
    const server = await w.start("read");
    const chunked = (text: string) => {
      const bytes = new TextEncoder().encode(text);
      return new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.subarray(at, at + 64 * 1024));
          controller.close();
        },
      });
    };
    const post = (text: string) =>
      fetch(server.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", Authorization: `Bearer ${TEST_TOKEN}` },
        body: chunked(text),
        duplex: "half",
      } as RequestInit);
    const read = await post(JSON.stringify(INITIALIZE));
    assert.equal(read.status, 200);
    assert.match(await read.text(), /"serverInfo"/);
    const big = await post(JSON.stringify({ ...INITIALIZE, params: { ...INITIALIZE.params, padding: "x".repeat(MAX_BODY_BYTES) } }));
    assert.equal(big.status, 413);
    assert.match(await big.text(), /at most 4194304 bytes/);
  });

  it("refuses a second server on a taken port: \"port N is in use\"", { timeout: 60_000 }, async () => {
    const server = await w.start("read");
    await assert.rejects(w.start("write", { address: { hostname: "127.0.0.1", port: server.port } }), new RegExp(`^RunosError: port ${server.port} is in use`));
  });
});

describe("HTTP tier server: calls", () => {
  const w = world();

  it("lists, calls, and refuses a tool it lacks naming the server that has it", { timeout: 60_000 }, async () => {
    const client = await w.client(await w.start("read"));
    assert.equal(client.getServerVersion()?.name, "runos");
    const { tools } = await client.listTools();
    assert.ok(tools.some((tool) => tool.name === "clusters_list"));
    const listed = await client.callTool({ name: "clusters_list", arguments: {} });
    assert.notEqual(listed.isError, true, resultText(listed));
    const refused = await client.callTool({ name: "services_valkey_delete", arguments: { cid: "i4y", id: "v4n8x", confirm: true } });
    assert.equal(refused.isError, true);
    assert.match(resultText(refused), /permission denied: .*enable `runos-write` \(`runos mcp serve write`\)/);
  });

  it("streams job progress over SSE while a call follows its job", { timeout: 60_000 }, async () => {
    const client = await w.client(await w.start("write"));
    const seen: number[] = [];
    const result = await client.callTool(jobCall(), { onprogress: (progress) => void seen.push(progress.progress) });
    assert.notEqual(result.isError, true, resultText(result));
    assert.ok(seen.length >= 2, `only ${seen.length} progress notifications`);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! > seen[i - 1]!, "progress increases");
  });

  for (const era of ["2025-era (notifications/cancelled)", "2026-07-28 (closing the stream)"] as const) {
    it(`stops following the job when a ${era} client cancels the call`, { timeout: 60_000 }, async () => {
      const client = await w.client(await w.start("write"), era.startsWith("2026"));
      const cancel = new AbortController();
      const job = jobCall();
      let atCancel = 0;
      const call = client.callTool(job, {
        signal: cancel.signal,
        onprogress: () => {
          if (!cancel.signal.aborted) atCancel = w.jobPolls();
          cancel.abort();
        },
      });
      await assert.rejects(call);
      // The call ends, and writes its audit line, either when it stops following or when the job is done:
      // still followed, the job would be polled several more times first (until about 4.75 s).
      await w.audited(job.arguments.name);
      assert.ok(w.jobPolls() - atCancel <= 1, `the job was still polled ${w.jobPolls() - atCancel} times after the cancellation`);
    });
  }

  it("answers every request of one client in turn from two instances (nothing lives in a session)", { timeout: 60_000 }, async () => {
    const [a, b] = [await w.start("read"), await w.start("read")];
    let turn = 0;
    const roundRobin: typeof fetch = (input, init) => {
      const target = (turn++ % 2 === 0 ? a : b).url;
      return fetch(target, init);
    };
    const transport = new StreamableHTTPClientTransport(new URL(a.url), { fetch: roundRobin, requestInit: { headers: { Authorization: `Bearer ${TEST_TOKEN}` } } });
    const client = new Client({ name: "round-robin", version: "0" }, { capabilities: {} });
    await client.connect(transport);
    try {
      for (let i = 0; i < 3; i++) {
        assert.ok((await client.listTools()).tools.length > 0);
        const result = await client.callTool({ name: "clusters_list", arguments: {} });
        assert.notEqual(result.isError, true, resultText(result));
      }
      assert.ok(turn >= 8, `only ${turn} requests were made`);
    } finally {
      await client.close();
    }
  });

  it("on shutdown refuses new requests and finishes the call in flight", { timeout: 60_000 }, async () => {
    const server = await w.start("write");
    const client = await w.client(server);
    let stopping: Promise<void> | undefined;
    const result = await client.callTool(jobCall(), {
      onprogress: () => {
        stopping ??= server.shutdown();
      },
    });
    assert.ok(stopping !== undefined, "no progress arrived");
    assert.notEqual(result.isError, true, resultText(result));
    assert.equal((resultValue(result) as { job?: { status?: string } }).job?.status, "completed");
    await stopping;
    await assert.rejects(fetch(server.url, { method: "POST" }));
  });
});
