/**
 * A host whose call index is stored answers calls through it, without parsing the catalog or building
 * its registry, and every answer is the one the registry would have given, byte for byte: reads, the
 * other tiers' tools refused, unknown names, tools hidden by toolsets, shortened names, built-ins,
 * discovery, previews. The index is stored by the host that had to build its registry.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { ApiRequest } from "../../../src/api/client.ts";
import { buildOperations, type Operation } from "../../../src/catalog/operation.ts";
import { bytesSource, callIndexBytes, type CallIndexFile, openCallIndex } from "../../../src/mcp/tools/call_index.ts";
import { createTierHost, type TierHost } from "../../../src/mcp/host/tier_host.ts";
import { type ListingKey, listingKey } from "../../../src/mcp/tools/listing_cache.ts";
import type { ListingMode } from "../../../src/mcp/tools/registry.ts";
import type { Tier } from "../../../src/policy/tier.ts";
import { catalogSampleArgs } from "../../_harness/catalog_sample_args.ts";
import { loadCatalogFixture } from "../../_harness/catalogs.ts";
import { BUILTIN_SAMPLE_ARGS } from "../../_harness/sample_args.ts";
import { signedIn, stubApi, type StubApi, textOf } from "../_support.ts";

const OPERATIONS = buildOperations(loadCatalogFixture("runos_full"));
const SCOPE = { scoped: true, serviceTypes: ["valkey"] };
const NOW = Date.UTC(2025, 0, 1);

/** An index file kept in memory, counting its writes. */
function memoryIndexFile(key: ListingKey): CallIndexFile & { writes: number; bytes?: Uint8Array } {
  return {
    writes: 0,
    read() {
      return Promise.resolve(this.bytes === undefined ? undefined : openCallIndex(bytesSource(this.bytes), key));
    },
    write(registry, clustersList) {
      this.bytes = callIndexBytes(key, registry, clustersList);
      this.writes++;
      return Promise.resolve();
    },
  };
}

/** The API as a function of the request: the same answers to both hosts, whatever they ask. */
function api(): StubApi {
  return stubApi((request: ApiRequest) => {
    if (request.method !== "GET") return { id: "made-1", jobId: "job-1", status: "provisioning" };
    if (/\/jobs\/[^/]+$/.test(request.path)) return { id: "job-1", status: "completed", progress: 100 };
    if (/\/clusters$/.test(request.path)) return [{ id: "i4y", name: "prod-eu" }, { id: "k2q", name: "staging-eu" }];
    return { id: "i4y", name: "production", password: "hunter2-secret", path: request.path, query: request.query ?? null };
  });
}

/** A signed-in host of `tier` over RunOS's full catalog, scoped to Valkey; `operations` may be a thunk. */
function openHost(tier: Tier, mode: ListingMode, file: CallIndexFile, client: StubApi, operations: readonly Operation[] | (() => readonly Operation[])) {
  return createTierHost(tier, {
    session: signedIn(client),
    operations,
    catalogVersion: "45.6.0",
    catalog: { version: "45.6.0", commands: OPERATIONS.length, source: "cache" },
    toolsMode: mode,
    toolsets: { initial: SCOPE },
    callIndex: file,
    watchIntervalMs: 0,
    jobWaitMs: 5_000,
    jobPollMs: 1,
    confirm: { secret: "the sign-in's" },
    now: () => NOW,
  });
}

/** The key of an index: only the tier and mode matter to these hosts, which are handed their file. */
function keyFor(tier: Tier, mode: ListingMode): ListingKey {
  return listingKey({ catalogSha256: "c".repeat(64), tier, mode, toolsets: SCOPE, defaultCluster: false }, "test-build")!;
}

/** Calls of every name the catalog has (shortened names in full too), the built-ins, and names no catalog has. */
function sampleCalls(): Array<[string, unknown]> {
  const calls: Array<[string, unknown]> = [];
  for (const operation of OPERATIONS) {
    const args = catalogSampleArgs(operation);
    calls.push([operation.toolName, args]);
    const full = operation.verbPath.join("_");
    if (full !== operation.toolName) calls.push([full, args]);
    // A cluster given by its name is looked up through the catalog's clusters list.
    if (operation.scope === "cluster" && operation.method === "GET") calls.push([operation.toolName, { ...args, cid: "prod-eu" }]);
  }
  calls.push(["manifest_update", {}], ["jobs_follow", { jobId: "job-1", timeoutSeconds: 5 }], ["jobs_follow", {}]);
  for (const name of ["nope", "", "constructor", "__proto__", "toString", "CLUSTERS_LIST"]) calls.push([name, {}]);
  return calls;
}

/** What needs the registry whatever resolves the name: discovery over every tool, previews over every operation. */
function registryCalls(): Array<[string, unknown]> {
  return [
    ["search_tools", { query: "valkey" }],
    ["describe_tools", { names: ["clusters_list", "services_postgresql_list", "nope"] }],
    ["call_tool", { name: "services_valkey_list", arguments: { cid: "i4y" } }],
    ["call_tool", { name: "services_postgresql_delete", arguments: { cid: "i4y", id: "users-db" } }],
    ["preview_destructive", BUILTIN_SAMPLE_ARGS.preview_destructive],
  ];
}

/** A result and the requests it sent, as text; a confirmation token's random part masked. */
async function answered(host: TierHost, client: StubApi, name: string, args: unknown): Promise<string> {
  const sent = client.requests.length;
  const result = await host.call(name, args);
  const requests = client.requests.slice(sent).map(({ method, path, query, body, idempotent }) => ({ method, path, query, body, idempotent }));
  return JSON.stringify({ result, requests })
    .replace(/\d+\.[0-9a-z]+\.[\w-]{16}\.[\w-]+/g, "<token>")
    .replace(/untrusted-data-[0-9a-f-]{36}/g, "untrusted-data-<boundary>");
}

describe("a host with a stored call index", () => {
  it("answers calls without parsing the catalog or building its registry", async () => {
    const file = memoryIndexFile(keyFor("read", "all"));
    const deriving = await openHost("read", "all", file, api(), OPERATIONS);
    await deriving.call("clusters_list", {});
    await deriving.close();
    assert.equal(file.writes, 1, "the host that built its registry stored the index");

    const client = api();
    const host = await openHost("read", "all", file, client, () => {
      throw new Error("the registry was built");
    });
    try {
      const cases: Array<[string, unknown, RegExp]> = [
        ["clusters_list", {}, /prod-eu/],
        ["services_valkey_list", { cid: "prod-eu" }, /production/],
        ["services_postgresql_list", { cid: "i4y" }, /production/], // hidden by toolsets, callable by name
        ["services_postgresql_delete", { cid: "i4y", id: "users-db" }, /permission denied: .*enable `runos-write`/],
        ["jobs_follow", { jobId: "job-1", timeoutSeconds: 5 }, /completed/],
        ["search_tools", {}, /is a discovery tool; this server lists every tool directly/],
        ["nope", {}, /unknown tool `nope` on the `runos` server/],
      ];
      for (const [name, args, expected] of cases) assert.match(textOf(await host.call(name, args)), expected, name);
      assert.ok(client.requests.some((request) => request.path === "/acme/i4y/services/valkey"), "the cluster's name became its id");
    } finally {
      await host.close();
    }
    assert.equal(file.writes, 1, "an index found whole is not written again");
  });

  for (const [tier, mode] of [["read", "discover"], ["write", "all"]] as const) {
    it(`answers every call on ${tier} (--tools ${mode}) byte for byte as the registry does`, { timeout: 120_000 }, async () => {
      const file = memoryIndexFile(keyFor(tier, mode));
      const calls = sampleCalls();
      const plainApi = api();
      const plain = await openHost(tier, mode, file, plainApi, OPERATIONS);
      const expected: string[] = [];
      try {
        for (const [name, args] of [...calls, ...registryCalls()]) expected.push(await answered(plain, plainApi, name, args));
      } finally {
        await plain.close();
      }
      assert.equal(file.writes, 1);

      let built = 0;
      const indexedApi = api();
      const indexed = await openHost(tier, mode, file, indexedApi, () => (built++, OPERATIONS));
      const actual: string[] = [];
      try {
        for (const [name, args] of calls) actual.push(await answered(indexed, indexedApi, name, args));
        // A read tier previews nothing of its own: none of these calls needed the registry.
        if (tier === "read") assert.equal(built, 0, "the registry was built");
        for (const [name, args] of registryCalls()) actual.push(await answered(indexed, indexedApi, name, args));
      } finally {
        await indexed.close();
      }
      assert.equal(actual.length, expected.length);
      for (let i = 0; i < expected.length; i++) assert.equal(actual[i], expected[i], `${calls[i]?.[0] ?? registryCalls()[i - calls.length]?.[0]}`);
    });
  }

  it("falls back to the registry, and stores the index again, when an entry is not whole", async () => {
    const key = keyFor("read", "all");
    const file = memoryIndexFile(key);
    const deriving = await openHost("read", "all", file, api(), OPERATIONS);
    await deriving.call("clusters_list", {});
    await deriving.close();
    // One byte of clusters_list's entry changed on disk: its digest no longer matches.
    const bytes = Buffer.from(file.bytes!);
    const at = bytes.indexOf('"toolName":"clusters_list"') + 12;
    bytes[at] = bytes[at]! ^ 0x20;
    file.bytes = bytes;
    const derived = file.writes;
    let built = 0;
    const host = await openHost("read", "all", file, api(), () => (built++, OPERATIONS));
    try {
      assert.match(textOf(await host.call("clusters_list", {})), /prod-eu/);
      assert.equal(built, 1);
    } finally {
      await host.close();
    }
    assert.equal(file.writes, derived + 1, "derived again");
    assert.ok(!Buffer.from(file.bytes!).equals(bytes));
  });
});
