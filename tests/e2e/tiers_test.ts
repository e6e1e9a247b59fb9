/**
 * Every catalog operation on every tier, against the real servers as child processes and the fake
 * RunOS API over loopback HTTP: an operation the tier allows works (and reaches the right endpoint);
 * one it does not is refused with the seed's "permission denied … enable `runos-…`" naming the server
 * that does allow it, and reaches nothing. Deno runs the full matrix; Bun (and the compiled binary, when
 * built) a smoke set.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Tool } from "@modelcontextprotocol/client";
import baseline from "../../src/catalog/baseline.json" with { type: "json" };
import { parseCatalog } from "../../src/catalog/schema.ts";
import { buildOperations, type Operation } from "../../src/catalog/operation.ts";
import lattice from "../../fixtures/tiers/baseline_lattice.json" with { type: "json" };
import { SERVER_NAMES, serveCommand, type Tier, TIERS } from "../../src/policy/tier.ts";
import { createFakeApi, serveFakeApiHttp } from "../../src/fake_api/mod.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/demo.ts";
import type { FakeState } from "../../src/fake_api/state.ts";
import { hasBinary, markCatalogChecked, resultText, type RunningServer, runosEnv, runRunos, type ServerRuntime, startServer } from "../_harness/mcp_client.ts";
import { argsForTool, callCapturing, expectedPath, fastClock, IDS, readWriteFlag, sampleArgs } from "../_harness/sample_args.ts";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";

const parsed = parseCatalog(baseline);
if (!parsed.ok) throw new Error(`baseline catalog does not parse: ${parsed.problems.join("; ")}`);
const OPERATIONS: readonly Operation[] = buildOperations(parsed.catalog);
const BUILTINS = new Set(["manifest_update", "jobs_follow", "preview_destructive"]);

/**
 * The oracle: which servers list each command, as written down in fixtures/tiers/baseline_lattice.json
 * (never derived from the policy code under test).
 */
const EXPECTED: Readonly<Record<string, readonly string[]>> = lattice.commands;
type Expected = "allow" | "read-only" | "deny";
function expectedOn(tier: Tier, operation: Operation): Expected {
  const entry = EXPECTED[operation.command];
  if (entry === undefined) throw new Error(`fixtures/tiers/baseline_lattice.json lacks ${operation.command}`);
  return entry.includes(tier) ? "allow" : entry.includes(`${tier} (read-only)`) ? "read-only" : "deny";
}
/** The safest server that lists `operation`, which a refusal must name. */
function expectedServer(operation: Operation): Tier | undefined {
  return TIERS.find((tier) => expectedOn(tier, operation) !== "deny");
}
/** The seed's troubleshooting words, with the server and its command named. */
const DENIAL = /permission denied: .*enable `runos(-[a-z-]+)?` \(`runos mcp serve [a-z-]+`\)/;

/**
 * Fixture tweaks some calls need to succeed: every fixture Valkey is used by an app (a delete would
 * rightly answer 409 with dependents), so the staging app stops using `session-cache` first.
 */
const PREPARE: Readonly<Record<string, (state: FakeState) => void>> = {
  "services/valkey/{id}/delete": (state) => {
    for (const app of state.apps) app.uses = app.uses.filter((id) => id !== IDS.sessionCache);
  },
};

/**
 * A fake API over HTTP, a temp config dir and one server per tier on `runtime`, reused across cases.
 * Started by the first test that awaits `ready()` (Bun gives `before` hooks only 5 s); closed after.
 */
function tierWorld(runtime: ServerRuntime) {
  let pending: Promise<void> | undefined;
  const world = {
    api: undefined as unknown as ReturnType<typeof createFakeApi>,
    http: undefined as Awaited<ReturnType<typeof serveFakeApiHttp>> | undefined,
    home: undefined as TempDir | undefined,
    servers: new Map<Tier, RunningServer>(),
    tools: new Map<Tier, Map<string, Tool>>(),
    ready: () => (pending ??= start()),
  };
  async function start(): Promise<void> {
    world.api = createFakeApi({ clock: fastClock() });
    world.http = await serveFakeApiHttp(world.api, { port: 0, hostname: "127.0.0.1" });
    world.home = await makeTempDir(`tiers-${runtime}`);
    // The fake API serves a newer catalog than the baseline this test is about: no background sync.
    await markCatalogChecked(world.home.path);
    const env = runosEnv({ configDir: world.home.path, apiUrl: world.http.url, apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID });
    await Promise.all(TIERS.map(async (tier) => {
      const server = await startServer({ runtime, tier, env });
      world.servers.set(tier, server);
      const { tools } = await server.client.listTools();
      world.tools.set(tier, new Map(tools.map((tool) => [tool.name, tool])));
    }));
  }
  after(async () => {
    await pending?.catch(() => {});
    await Promise.all([...world.servers.values()].map((server) => server.close()));
    await world.http?.close();
    await world.home?.remove();
  });
  return world;
}

/** Call `operation` on `tier` with its sample arguments and check the effect in the fake API's log. */
async function expectWorks(world: ReturnType<typeof tierWorld>, tier: Tier, operation: Operation): Promise<void> {
  await world.ready();
  const tool = world.tools.get(tier)!.get(operation.toolName);
  assert.ok(tool !== undefined, `${operation.toolName} is allowed on ${tier} but not listed`);
  const args = argsForTool(operation, tool.inputSchema as { properties?: Record<string, unknown> });
  world.api.reset();
  PREPARE[operation.command]?.(world.api.state);
  const start = world.api.log.length;
  const made = await callCapturing(world.servers.get(tier)!.client, operation.toolName, args);
  assert.ok(made.result !== undefined, made.thrown ?? "no result");
  const result = made.result;
  assert.notEqual(result.isError, true, `${operation.toolName} on ${tier} failed: ${resultText(result)}`);
  const path = expectedPath(operation, args, DEMO_ACCOUNT_ID);
  const hits = world.api.log.slice(start).filter((entry) => entry.method === operation.method && entry.path === path);
  assert.ok(hits.length > 0, `no ${operation.method} ${path} reached the fake API; log: ${JSON.stringify(world.api.log.slice(start).map((e) => `${e.method} ${e.path} ${e.status}`))}`);
  assert.ok(hits.every((hit) => hit.status >= 200 && hit.status < 300), `${operation.method} ${path} answered ${hits.map((hit) => hit.status).join(", ")}`);
  if (expectedOn(tier, operation) === "read-only") {
    for (const hit of hits) assert.notEqual(readWriteFlag(hit.body), true, `${operation.toolName} on ${tier} sent readWrite: true`);
  }
}

/** Call `operation` on a tier that denies it and check the refusal names the right server. */
async function expectDenied(world: ReturnType<typeof tierWorld>, tier: Tier, operation: Operation): Promise<void> {
  await world.ready();
  assert.equal(expectedOn(tier, operation), "deny");
  const alternative = expectedServer(operation);
  assert.ok(alternative !== undefined, `${operation.command} is allowed on no tier`);
  assert.equal(world.tools.get(tier)!.has(operation.toolName), false, `${operation.toolName} is listed on ${tier} although denied`);
  const start = world.api.log.length;
  const result = await world.servers.get(tier)!.client.callTool({ name: operation.toolName, arguments: sampleArgs(operation) });
  const text = resultText(result);
  assert.equal(result.isError, true, `${operation.toolName} on ${tier} was not refused: ${text}`);
  assert.match(text, DENIAL);
  assert.ok(text.includes(`enable \`${SERVER_NAMES[alternative]}\` (\`${serveCommand(alternative)}\`)`), `wrong server named for ${operation.toolName} on ${tier}: ${text}`);
  // A server's own background work (the catalog check, the toolsets refresh, 250 ms after initialized) may land meanwhile.
  const sent = world.api.log.slice(start).filter((entry) => !BACKGROUND_REQUEST.test(`${entry.method} ${entry.path}`));
  assert.deepEqual(sent, [], "a refused call reached the fake API");
}

/** The requests a server sends of its own, not for a call (host/tier_host.ts's background work). */
const BACKGROUND_REQUEST = /^GET \/[^/]+\/cli\/(toolsets|manifest-version|manifest)$/;

describe("tier servers on deno: every operation at every tier", () => {
  const world = tierWorld("deno");

  for (const tier of TIERS) {
    describe(`mcp serve ${tier}`, () => {
      it(`announces serverInfo.name ${SERVER_NAMES[tier]}`, { timeout: 60_000 }, async () => {
        await world.ready();
        assert.equal(world.servers.get(tier)!.client.getServerVersion()?.name, SERVER_NAMES[tier]);
      });

      it("lists exactly the operations the written-down lattice gives it, plus manifest_update (and preview_destructive on the read tiers)", async () => {
        await world.ready();
        const listed = [...world.tools.get(tier)!.keys()];
        assert.ok(listed.includes("manifest_update"), "manifest_update is missing");
        assert.equal(listed.includes("preview_destructive"), tier === "read" || tier === "sensitive-read", "preview_destructive is on the read tiers only");
        const expected = OPERATIONS.filter((operation) => expectedOn(tier, operation) !== "deny").map((operation) => operation.toolName).sort();
        assert.deepEqual(listed.filter((name) => !BUILTINS.has(name)).sort(), expected);
      });

      it("sets all four annotations on every tool, read-only on the read server only, never destructive on the read tiers", async () => {
        await world.ready();
        for (const tool of world.tools.get(tier)!.values()) {
          const hints = tool.annotations ?? {};
          for (const key of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
            assert.equal(typeof hints[key], "boolean", `${tier}/${tool.name} lacks ${key}`);
          }
          // VS Code runs read-only tools unasked: only the read server's may say so, though sensitive-read's only read too.
          assert.equal(hints.readOnlyHint, tier === "read", `${tier}/${tool.name}: readOnlyHint`);
          if (tier === "read" || tier === "sensitive-read") assert.equal(hints.destructiveHint, false, `${tier}/${tool.name} is marked destructive`);
        }
      });

      for (const operation of OPERATIONS) {
        const expected = expectedOn(tier, operation);
        if (expected === "deny") {
          const other = expectedServer(operation);
          it(`refuses ${operation.toolName} and names ${other === undefined ? "no server" : SERVER_NAMES[other]}`, { timeout: 60_000 }, async () => {
            await expectDenied(world, tier, operation);
          });
        } else {
          it(`runs ${operation.toolName}${expected === "read-only" ? " read-only" : ""}`, { timeout: 60_000 }, async () => {
            await expectWorks(world, tier, operation);
          });
        }
      }
    });
  }

  it("refuses a cluster-scoped call without cid when no default cluster is set, before any request", async () => {
    await world.ready();
    const start = world.api.log.length;
    const result = await world.servers.get("read")!.client.callTool({ name: "services_list", arguments: {} });
    assert.equal(result.isError, true);
    assert.match(resultText(result), /missing required argument `cid` \(cluster ID required/);
    assert.equal(world.api.log.length, start);
  });

  it("answers a destructive call without its token with a preview, before any request that changes anything", async () => {
    await world.ready();
    const start = world.api.log.length;
    const result = await world.servers.get("write")!.client.callTool({ name: "services_valkey_delete", arguments: { cid: "stg01", id: "s5vk2", confirm: true } });
    assert.equal(result.isError, true);
    assert.match(resultText(result), /^not run: `services_valkey_delete` is destructive .*confirm: "rc1\./);
    assert.deepEqual(world.api.log.slice(start).map((entry) => entry.method), ["GET"], "the preview only reads");
  });

  it("has an entry in the written-down lattice for every baseline command, and no other", () => {
    assert.deepEqual(Object.keys(EXPECTED).sort(), OPERATIONS.map((operation) => operation.command).sort());
  });

  it("lists a confirm argument on every destructive tool of the write tiers", async () => {
    await world.ready();
    for (const tier of ["write", "sensitive-write"] as const) {
      for (const tool of world.tools.get(tier)!.values()) {
        if (tool.annotations?.destructiveHint !== true) continue;
        const schema = tool.inputSchema as { properties?: Record<string, unknown>; required?: string[] };
        assert.ok(schema.properties?.confirm !== undefined, `${tier}/${tool.name} is destructive without a confirm argument`);
      }
    }
  });
});

const SMOKE_RUNTIMES: ServerRuntime[] = hasBinary() ? ["bun", "binary"] : ["bun"];
for (const runtime of SMOKE_RUNTIMES) {
  describe(`tier servers on ${runtime}: smoke`, () => {
    const world = tierWorld(runtime);
    for (const tier of TIERS) {
      const allowed = OPERATIONS.find((operation) => expectedOn(tier, operation) !== "deny" && !operation.returnsJob);
      const denied = OPERATIONS.find((operation) => expectedOn(tier, operation) === "deny");
      it(`${tier}: serverInfo.name is ${SERVER_NAMES[tier]}, ${allowed?.toolName} works, ${denied?.toolName} is refused`, { timeout: 60_000 }, async () => {
        await world.ready();
        assert.equal(world.servers.get(tier)!.client.getServerVersion()?.name, SERVER_NAMES[tier]);
        assert.ok(allowed !== undefined && denied !== undefined);
        await expectWorks(world, tier, allowed);
        await expectDenied(world, tier, denied);
      });
    }
  });
}

for (const runtime of ["deno", "bun"] as const) {
  it(`\`mcp serve admin\` on ${runtime} exits 2 and lists the four tiers on stderr`, { timeout: 60_000 }, async () => {
    const home = await makeTempDir("tier-usage");
    try {
      const output = await runRunos(runtime, ["mcp", "serve", "admin"], runosEnv({ configDir: home.path }), { timeoutMs: 20_000 });
      assert.equal(output.code, 2, `exit code ${output.code}; stderr: ${output.stderr}`);
      for (const tier of TIERS) assert.match(output.stderr, new RegExp(`(?<![\\w-])${tier}(?![\\w-])`), `stderr does not name ${tier}`);
      assert.equal(output.stdout.trim(), "", "a usage error must not write to stdout");
    } finally {
      await home.remove();
    }
  });
}
