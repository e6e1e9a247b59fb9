/**
 * `runos mcp serve <tier> --http` as real child processes against the fake RunOS API over loopback
 * HTTP, driven by the SDK's Streamable HTTP client: every tier lists, calls and refuses (naming the
 * server that has the tool) over HTTP, progress arrives during a job-following call, SIGTERM finishes
 * the call in flight, a generated token is printed once and works, a taken port and an unguarded
 * remote address are refused, and `--max-concurrent 1` answers 503 while a call holds its slot. Deno
 * runs all but the last; Bun and the compiled binary a smoke set, the last included.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Client } from "@modelcontextprotocol/client";
import baseline from "../../src/catalog/baseline.json" with { type: "json" };
import lattice from "../../fixtures/tiers/baseline_lattice.json" with { type: "json" };
import { buildOperations, type Operation } from "../../src/catalog/operation.ts";
import { parseCatalog } from "../../src/catalog/schema.ts";
import { createFakeApi, DEMO_ACCOUNT_ID, DEMO_TOKEN, type FakeApi, type FakeApiServer, serveFakeApiHttp } from "../../src/fake_api/mod.ts";
import { SERVER_NAMES, serveCommand, type Tier, TIERS } from "../../src/policy/tier.ts";
import { connectHttpClient, type HttpChild, INITIALIZE, postJson, startHttpChild, TEST_TOKEN } from "../_harness/http_server.ts";
import { hasBinary, markCatalogChecked, resultText, runosEnv, runRunos, type ServerRuntime } from "../_harness/mcp_client.ts";
import { argsForTool, fastClock, readWriteFlag, SAMPLE_ARGS } from "../_harness/sample_args.ts";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";

const parsed = parseCatalog(baseline);
if (!parsed.ok) throw new Error(`baseline catalog does not parse: ${parsed.problems.join("; ")}`);
const OPERATIONS: readonly Operation[] = buildOperations(parsed.catalog);
const EXPECTED: Readonly<Record<string, readonly string[]>> = lattice.commands;
const allows = (tier: Tier, operation: Operation) => (EXPECTED[operation.command] ?? []).some((entry) => entry === tier || entry === `${tier} (read-only)`);
/** A tool the tier allows that answers at once, and one it refuses with the safest server that has it. */
function probesFor(tier: Tier): { allowed: Operation; denied: Operation; deniedOn: Tier } {
  const candidates = OPERATIONS.filter((operation) => allows(tier, operation) && !operation.returnsJob && operation.command in SAMPLE_ARGS);
  const allowed = candidates.find((operation) => operation.method === "GET") ?? candidates[0];
  const denied = OPERATIONS.find((operation) => !allows(tier, operation));
  const deniedOn = denied === undefined ? undefined : TIERS.find((other) => allows(other, denied));
  if (allowed === undefined || denied === undefined || deniedOn === undefined) throw new Error(`no probes for ${tier}`);
  return { allowed, denied, deniedOn };
}

/** A tool call starting a job the fake API runs for about 4 s of wall time; a fresh name each time. */
let jobCalls = 0;
const jobCall = () => ({ name: "services_valkey_add", arguments: { cid: "i4y", name: `http-e2e-${++jobCalls}`, replicas: 2 } });

/** The fake API over HTTP, a temp home, and `--http` children started on demand; all stopped after. */
function httpWorld(runtime: ServerRuntime) {
  let api: FakeApi | undefined;
  let http: FakeApiServer | undefined;
  let home: TempDir | undefined;
  let pending: Promise<void> | undefined;
  const children: HttpChild[] = [];
  const clients: Client[] = [];
  const world = {
    env: (extra: Record<string, string> = { RUNOS_MCP_TOKEN: TEST_TOKEN }) => ({
      ...runosEnv({ configDir: home!.path, apiUrl: http!.url, apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID }),
      ...extra,
    }),
    ready: () =>
      (pending ??= (async () => {
        api = createFakeApi({ clock: fastClock(0.5) });
        http = await serveFakeApiHttp(api, { port: 0, hostname: "127.0.0.1" });
        home = await makeTempDir(`http-${runtime}`);
        await markCatalogChecked(home.path);
      })()),
    async serve(tier: Tier, options: { env?: Record<string, string>; listen?: string; extraArgs?: readonly string[] } = {}): Promise<HttpChild> {
      await world.ready();
      const child = await startHttpChild({
        runtime,
        tier,
        env: options.env ?? world.env(),
        ...(options.listen === undefined ? {} : { listen: options.listen }),
        ...(options.extraArgs === undefined ? {} : { extraArgs: options.extraArgs }),
      });
      children.push(child);
      return child;
    },
    async client(child: HttpChild, token = TEST_TOKEN): Promise<Client> {
      const client = await connectHttpClient(child.url, token);
      clients.push(client);
      return client;
    },
    api: () => api!,
  };
  after(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
    await Promise.all(children.map((child) => child.stop("SIGKILL")));
    await http?.close();
    await home?.remove();
  });
  return world;
}

/** List, call one allowed tool (reaching the fake API) and one refused tool (reaching nothing). */
async function listCallRefuse(world: ReturnType<typeof httpWorld>, tier: Tier, client: Client): Promise<void> {
  const { allowed, denied, deniedOn } = probesFor(tier);
  assert.equal(client.getServerVersion()?.name, SERVER_NAMES[tier]);
  const { tools } = await client.listTools();
  const tool = tools.find((entry) => entry.name === allowed.toolName);
  assert.ok(tool !== undefined, `${allowed.toolName} is not listed on ${tier}`);
  assert.equal(tools.some((entry) => entry.name === denied.toolName), false, `${denied.toolName} is listed on ${tier}`);
  world.api().reset();
  const start = world.api().log.length;
  const result = await client.callTool({ name: allowed.toolName, arguments: argsForTool(allowed, tool.inputSchema as { properties?: Record<string, unknown> }) });
  assert.notEqual(result.isError, true, `${allowed.toolName} on ${tier}: ${resultText(result)}`);
  assert.ok(world.api().log.length > start, "the call reached no API");
  const beforeRefusal = world.api().log.length;
  const refused = await client.callTool({ name: denied.toolName, arguments: {} });
  assert.equal(refused.isError, true);
  assert.ok(resultText(refused).includes(`enable \`${SERVER_NAMES[deniedOn]}\` (\`${serveCommand(deniedOn)}\`)`), resultText(refused));
  assert.equal(world.api().log.length, beforeRefusal, "a refused call reached the API");
}

describe("mcp serve --http on deno", () => {
  const world = httpWorld("deno");

  for (const tier of TIERS) {
    it(`${tier}: lists, calls and refuses over Streamable HTTP as \`${SERVER_NAMES[tier]}\``, { timeout: 60_000 }, async () => {
      const child = await world.serve(tier);
      assert.match(child.stderr(), new RegExp(`serving \`${SERVER_NAMES[tier]}\` .* at http://127\\.0\\.0\\.1:\\d+/mcp`));
      await listCallRefuse(world, tier, await world.client(child));
    });
  }

  it("confirms a destructive call with a token another instance issued: two instances behind one bearer token", { timeout: 60_000 }, async () => {
    const first = await world.client(await world.serve("write"));
    const second = await world.client(await world.serve("write"));
    world.api().reset();
    const args = { cid: "stg01", id: "s5vk2" };
    const preview = await first.callTool({ name: "services_valkey_delete", arguments: args });
    assert.match(resultText(preview), /^not run: `services_valkey_delete` is destructive/);
    const token = (preview.structuredContent as { confirm?: unknown }).confirm;
    assert.equal(typeof token, "string");
    const other = await second.callTool({ name: "services_valkey_delete", arguments: { ...args, id: "s5vk3", confirm: token } });
    assert.match(resultText(other), /^not run: the confirm token was not issued by this server for this tool with these arguments/);
    assert.equal(world.api().log.filter((entry) => entry.method === "DELETE").length, 0);
    // It runs: the API then refuses it (apps use that cache), which is the API's answer, not runos's.
    const confirmed = await second.callTool({ name: "services_valkey_delete", arguments: { ...args, confirm: token } });
    assert.match(resultText(confirmed), /used by app/);
    assert.deepEqual(world.api().log.filter((entry) => entry.method === "DELETE").map((entry) => entry.path), [`/${DEMO_ACCOUNT_ID}/stg01/services/valkey/s5vk2`]);
  });

  it("keeps the other two gates: a destructive call needs its preview's token, and read tiers run SQL read-only", { timeout: 60_000 }, async () => {
    const write = await world.client(await world.serve("write"));
    world.api().reset();
    const refused = await write.callTool({ name: "services_valkey_delete", arguments: { cid: "stg01", id: "s5vk2", confirm: true } });
    assert.equal(refused.isError, true);
    assert.match(resultText(refused), /^not run: `services_valkey_delete` is destructive .*confirm: "rc1\./);
    assert.equal(world.api().log.filter((entry) => entry.method === "DELETE").length, 0);
    const read = await world.client(await world.serve("read"));
    world.api().reset();
    const sql = await read.callTool({ name: "services_postgresql_exec-sql", arguments: { cid: "i4y", id: "k7m2p", query: "SELECT count(*) AS n FROM users" } });
    assert.notEqual(sql.isError, true, resultText(sql));
    const sent = world.api().log.filter((entry) => entry.method === "POST" && entry.path.endsWith("/exec-sql"));
    assert.equal(sent.length, 1);
    assert.notEqual(readWriteFlag(sent[0]!.body), true, "the read tier sent readWrite: true");
  });

  it("streams progress notifications while a call follows its job", { timeout: 60_000 }, async () => {
    const client = await world.client(await world.serve("write"));
    const seen: { progress: number; message?: string }[] = [];
    const result = await client.callTool(jobCall(), { onprogress: (progress) => void seen.push(progress) });
    assert.notEqual(result.isError, true, resultText(result));
    assert.ok(seen.length >= 2, `only ${seen.length} progress notifications`);
    assert.ok(seen.every((entry) => typeof entry.message === "string" && entry.message !== ""), "every progress notification says what is happening");
  });

  it("on SIGTERM finishes the call in flight, then exits 0", { timeout: 60_000 }, async () => {
    const child = await world.serve("write");
    const client = await world.client(child);
    let signalled = false;
    const result = await client.callTool(jobCall(), {
      onprogress: () => {
        if (!signalled) {
          signalled = true;
          void child.stop("SIGTERM");
        }
      },
    });
    assert.ok(signalled, "no progress arrived");
    assert.notEqual(result.isError, true, resultText(result));
    const code = await child.exited;
    assert.match(child.stderr(), /SIGTERM: stopping, finishing 1 request in flight[\s\S]*runos: stopped/);
    // Deno's child_process reports the signal it sent rather than the exit status; Node and Bun do not.
    if (typeof (globalThis as { Deno?: unknown }).Deno === "undefined") assert.equal(code, 0);
  });

  it("generates a token when none is given, prints it once, and accepts only it", { timeout: 60_000 }, async () => {
    const child = await world.serve("read", { env: world.env({}) });
    const token = child.printedToken;
    assert.ok(token !== undefined && token.length >= 43, child.stderr());
    assert.equal(child.stderr().split(token).length - 1, 1, "the token is printed exactly once");
    const refused = await postJson(child.url, INITIALIZE, { Authorization: `Bearer ${TEST_TOKEN}` });
    assert.equal(refused.status, 401);
    await refused.body?.cancel();
    const client = await world.client(child, token);
    assert.ok((await client.listTools()).tools.length > 0);
  });

  it("`mcp configure claude --url` asks the running server its tier and writes its entry, the token only referenced", { timeout: 60_000 }, async () => {
    const child = await world.serve("sensitive-read");
    const dir = await makeTempDir("http-configure");
    try {
      const output = await runRunos("deno", ["mcp", "configure", "claude", "--url", child.url, "--dir", dir.path, "--print", "--json"], world.env(), { timeoutMs: 30_000 });
      assert.equal(output.code, 0, output.stderr);
      assert.equal(output.stderr, "", "no warning: the server answered and took the token");
      const report = JSON.parse(output.stdout) as { files: { path: string; content?: string }[] };
      const mcpJson = JSON.parse(report.files.find((file) => file.path.endsWith(".mcp.json"))!.content!);
      assert.deepEqual(mcpJson.mcpServers, {
        "runos-sensitive-read": { type: "http", url: child.url, headers: { Authorization: "Bearer ${RUNOS_MCP_TOKEN}" } },
      });
      assert.equal(output.stdout.includes(TEST_TOKEN), false, "the token reached the output");
      const wrong = await runRunos("deno", ["mcp", "configure", "claude", "--url", `write=${child.url}`, "--dir", dir.path], world.env(), { timeoutMs: 30_000 });
      assert.equal(wrong.code, 2, wrong.stderr);
      assert.match(wrong.stderr, /serves runos-sensitive-read \(the sensitive-read tier\), not runos-write \(write\); nothing was written/);
    } finally {
      await dir.remove();
    }
  });

  it("refuses to start on a port another server holds, saying so", { timeout: 60_000 }, async () => {
    const first = await world.serve("read");
    const port = new URL(first.url).port;
    const second = await runRunos("deno", ["mcp", "serve", "write", "--http", `127.0.0.1:${port}`], world.env(), { timeoutMs: 30_000 });
    assert.equal(second.code, 1, second.stderr);
    assert.match(second.stderr, new RegExp(`error: port ${port} is in use`));
  });

  it("refuses an address other machines reach without --allow-remote, and HTTP options without --http (exit 2)", { timeout: 60_000 }, async () => {
    await world.ready();
    const output = await runRunos("deno", ["mcp", "serve", "read", "--http", "0.0.0.0:0"], world.env(), { timeoutMs: 30_000 });
    assert.equal(output.code, 2, output.stderr);
    assert.match(output.stderr, /reachable from other machines[\s\S]*--allow-remote/);
    const stray = await runRunos("deno", ["mcp", "serve", "read", "--token-file", "token"], world.env(), { timeoutMs: 30_000 });
    assert.equal(stray.code, 2, stray.stderr);
    assert.match(stray.stderr, /--token-file only apply with --http/);
  });
});

const SMOKE: ServerRuntime[] = hasBinary() ? ["bun", "binary"] : ["bun"];
for (const runtime of SMOKE) {
  describe(`mcp serve --http on ${runtime}: smoke`, () => {
    const world = httpWorld(runtime);
    it("sensitive-write: lists, calls and refuses; a request without the token gets 401", { timeout: 60_000 }, async () => {
      const child = await world.serve("sensitive-write");
      const anonymous = await postJson(child.url, INITIALIZE);
      assert.equal(anonymous.status, 401);
      assert.match(anonymous.headers.get("www-authenticate") ?? "", /^Bearer resource_metadata="/);
      await anonymous.body?.cancel();
      await listCallRefuse(world, "sensitive-write", await world.client(child));
    });
    it("streams progress during a job-following call, which holds the one slot of --max-concurrent 1", { timeout: 60_000 }, async () => {
      const child = await world.serve("write", { extraArgs: ["--max-concurrent", "1"] });
      const client = await world.client(child);
      const seen: number[] = [];
      let meanwhile: Promise<Response> | undefined;
      const result = await client.callTool(jobCall(), {
        onprogress: (progress) => {
          seen.push(progress.progress);
          meanwhile ??= postJson(child.url, INITIALIZE, { Authorization: `Bearer ${TEST_TOKEN}` });
        },
      });
      assert.notEqual(result.isError, true, resultText(result));
      assert.ok(seen.length >= 2, `only ${seen.length} progress notifications`);
      const refused = await meanwhile!;
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get("retry-after"), "1");
      assert.match(await refused.text(), /too many requests at once \(this server takes 1\)/);
      assert.equal((await client.listTools()).tools.length > 0, true, "served again once the call ended");
    });
  });
}
