/**
 * A tier's call index resolves every name exactly as the registry it was derived from resolves it,
 * and is used only when whole and derived from exactly this start's inputs: a stale, torn, truncated,
 * foreign or bit-flipped index is ignored, and no entry of it is ever served changed.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { writeFile } from "node:fs/promises";
import { baselineCatalog } from "../../../src/catalog/load.ts";
import { buildOperations, type Operation } from "../../../src/catalog/operation.ts";
import { hiddenByToolsets } from "../../../src/catalog/toolsets.ts";
import { findClustersList } from "../../../src/cluster_names.ts";
import { bytesSource, type CallIndex, callIndexBytes, callIndexFile, openCallIndex } from "../../../src/mcp/tools/call_index.ts";
import { type ListingKey, listingFileBytes, listingKey } from "../../../src/mcp/tools/listing_cache.ts";
import { buildRegistry, type ListingMode, type Resolution, type ToolRegistry } from "../../../src/mcp/tools/registry.ts";
import { TIERS, type Tier } from "../../../src/policy/tier.ts";
import { loadCatalogFixture } from "../../_harness/catalogs.ts";
import { otherKeys } from "../../_harness/listing_keys.ts";
import { withTempDir } from "../../_harness/temp_project.ts";

/** Names no catalog has, some of them an object's own keys in JavaScript. */
const STRANGE_NAMES = ["nope", "", "constructor", "__proto__", "toString", "hasOwnProperty", "clusters list", "CLUSTERS_LIST"];

function keyFor(tier: Tier, mode: ListingMode, defaultCluster = false): ListingKey {
  return listingKey({ catalogSha256: "c".repeat(64), tier, mode, toolsets: { scoped: true, serviceTypes: ["valkey"] }, defaultCluster }, "test-build")!;
}

function registryFor(tier: Tier, operations: readonly Operation[], mode: ListingMode, defaultCluster = false): ToolRegistry {
  return buildRegistry(tier, operations, { hasDefaultCluster: defaultCluster, mode, hidden: hiddenByToolsets(operations, { scoped: true, serviceTypes: ["valkey"] }) });
}

function clustersListOf(registry: ToolRegistry): Operation | undefined {
  return findClustersList(registry.callable().flatMap((tool) => (tool.kind === "operation" ? [tool.operation] : [])));
}

function indexBytes(registry: ToolRegistry, key: ListingKey): Uint8Array {
  return callIndexBytes(key, registry, clustersListOf(registry));
}

/** Every name a call could use on any tier of `operations`, and some no catalog has. */
function namesOf(registry: ToolRegistry): string[] {
  const names = new Set(STRANGE_NAMES);
  for (const operation of registry.operations) names.add(operation.toolName).add(operation.verbPath.join("_"));
  for (const tool of registry.callable()) names.add(tool.name);
  for (const name of ["manifest_update", "jobs_follow", "preview_destructive", "search_tools", "describe_tools", "call_tool"]) names.add(name);
  return [...names];
}

/** What a call path sees of a resolution: the tool's data, or the error's class and words. */
function seen(resolution: Resolution | undefined): unknown {
  if (resolution === undefined) return undefined;
  if (resolution.kind === "refused") {
    const { error } = resolution;
    return { refused: error.constructor.name, kind: error.kind, message: error.message, hint: error.hint, details: error.details };
  }
  const tool = resolution.tool;
  if (tool.kind === "builtin") return { builtin: tool.name, tool: tool.tool, arguments: tool.arguments };
  return { ...tool, operation: { ...tool.operation, tags: [...tool.operation.tags].sort() } };
}

function assertSameAsRegistry(index: CallIndex, registry: ToolRegistry, names: readonly string[], label: string): void {
  for (const name of names) assert.deepStrictEqual(seen(index.resolve(name)), seen(registry.resolve(name)), `${label}: ${JSON.stringify(name)}`);
  assert.deepStrictEqual(index.jobShow, registry.jobShow, `${label}: job show`);
  assert.deepStrictEqual(index.clustersList, clustersListOf(registry), `${label}: clusters list`);
  assert.equal(index.intact, true);
}

const BASELINE = buildOperations(baselineCatalog());

describe("a call index", () => {
  it("resolves every name as the registry does, on every tier, listed or discovered, with or without a default cluster", () => {
    for (const tier of TIERS) {
      for (const mode of ["all", "discover"] as const) {
        for (const defaultCluster of [false, true]) {
          const registry = registryFor(tier, BASELINE, mode, defaultCluster);
          const key = keyFor(tier, mode, defaultCluster);
          const index = openCallIndex(bytesSource(indexBytes(registry, key)), key);
          assert.ok(index !== undefined);
          assertSameAsRegistry(index, registry, namesOf(registry), `${tier} ${mode} default cluster ${defaultCluster}`);
        }
      }
    }
  });

  it("resolves every name of RunOS's full catalog as the registry does: shortened names, de-duplicated names, other tiers' refusals", () => {
    const operations = buildOperations(loadCatalogFixture("runos_full"));
    for (const [tier, mode] of [["read", "discover"], ["write", "all"], ["sensitive-read", "all"], ["sensitive-write", "discover"]] as const) {
      const registry = registryFor(tier, operations, mode);
      const key = keyFor(tier, mode);
      const index = openCallIndex(bytesSource(indexBytes(registry, key)), key);
      assert.ok(index !== undefined);
      assertSameAsRegistry(index, registry, namesOf(registry), `runos_full ${tier} ${mode}`);
    }
  });

  const registry = registryFor("read", BASELINE, "all");
  const KEY = keyFor("read", "all");
  const whole = indexBytes(registry, KEY);

  for (const [what, change] of otherKeys(KEY)) {
    it(`is ignored when derived for ${what}`, () => {
      assert.equal(openCallIndex(bytesSource(whole), { ...KEY, ...change }), undefined);
    });
  }

  it("reads, checks and builds a name's entry once: a second call of the name reads nothing and resolves the same", () => {
    let reads = 0;
    const source = bytesSource(whole);
    const counting = { size: source.size, read: (position: number, length: number) => (reads++, source.read(position, length)) };
    const index = openCallIndex(counting, KEY);
    assert.ok(index !== undefined);
    const opened = reads;
    const first = index.resolve("clusters_list");
    assert.ok(reads > opened, "the entry is read at its first call");
    const afterFirst = reads;
    const again = index.resolve("clusters_list");
    assert.equal(reads, afterFirst, "and never again");
    assert.equal(again, first);
    assert.deepStrictEqual(seen(again), seen(registry.resolve("clusters_list")));
    // A refusal the index keeps (a write tool asked of the read tier) is made again each time: its
    // error is thrown on, as the registry's is.
    const refused = index.resolve("services_valkey_add");
    assert.equal(refused?.kind, "refused");
    const beforeAgain = reads;
    const refusedAgain = index.resolve("services_valkey_add");
    assert.ok(reads > beforeAgain, "a kept refusal is read again");
    assert.notEqual(refusedAgain, refused);
    assert.deepStrictEqual(seen(refusedAgain), seen(registry.resolve("services_valkey_add")));
  });

  it("is ignored when torn: cut anywhere, or grown", () => {
    const newline = whole.indexOf(0x0a);
    for (const length of [0, 1, newline - 1, newline, newline + 1, newline + 100, whole.length >> 1, whole.length - 1]) {
      assert.equal(openCallIndex(bytesSource(whole.subarray(0, length)), KEY), undefined, `cut at ${length}`);
    }
    assert.equal(openCallIndex(bytesSource(Buffer.concat([whole, Buffer.from("\n")])), KEY), undefined);
  });

  it("is ignored when it is not an index: a stored listing, other JSON, bytes that are not UTF-8", () => {
    const listing = listingFileBytes(KEY, { toolsJson: Buffer.from(JSON.stringify(registry.tools)), catalogVersion: "1.0.0", commands: BASELINE.length });
    for (const foreign of [listing, Buffer.from(""), Buffer.from("{}\n{}\n"), Buffer.from(`${JSON.stringify({ ...KEY, format: 1 })}\n{}\n`), Buffer.from([0xff, 0xfe, 0x0a])]) {
      assert.equal(openCallIndex(bytesSource(foreign), KEY), undefined);
    }
  });

  it("never serves a changed entry: with any one bit flipped it answers as before, or not at all", () => {
    const names = namesOf(registry);
    const expected = new Map(names.map((name) => [name, seen(registry.resolve(name))]));
    // Every byte of the header and the table's start, then bytes spread over the rest.
    const tableStart = whole.indexOf(0x0a) + 1;
    const positions = new Set<number>();
    for (let position = 0; position < tableStart + 64; position++) positions.add(position);
    for (let position = tableStart; position < whole.length; position += Math.ceil(whole.length / 400)) positions.add(position);
    positions.add(whole.length - 1);
    let refusedAtOpen = 0;
    let notIntact = 0;
    for (const position of positions) {
      const flipped = Buffer.from(whole);
      flipped[position] = flipped[position]! ^ (1 << (position % 8));
      const index = openCallIndex(bytesSource(flipped), KEY);
      if (index === undefined) {
        refusedAtOpen++;
        continue;
      }
      for (const name of names) {
        const answer = index.resolve(name);
        if (answer === undefined) {
          assert.equal(index.intact, false);
          continue;
        }
        assert.deepStrictEqual(seen(answer), expected.get(name), `bit ${position % 8} of byte ${position} flipped: ${name}`);
      }
      if (!index.intact) notIntact++;
    }
    // Each flip was caught: at opening (header, table) or by the entry it changed.
    assert.equal(refusedAtOpen + notIntact, positions.size);
  });

  it("is not served from a file replaced after it was opened: an entry read from the other file fails its digest", async () => {
    await withTempDir("call-index-replaced", async (dir) => {
      const path = `${dir}/default/tools.read.all.index`;
      const file = callIndexFile(path, KEY);
      assert.equal(await file.read(), undefined, "a missing index is none");
      await file.write(registry, clustersListOf(registry));
      const index = await file.read();
      assert.ok(index !== undefined);
      assertSameAsRegistry(index, registry, ["clusters_list"], "stored");
      const other = registryFor("write", BASELINE, "all");
      await writeFile(path, indexBytes(other, keyFor("write", "all")));
      const names = namesOf(registry).filter((name) => name !== "clusters_list");
      assert.ok(names.some((name) => index.resolve(name) === undefined));
      assert.equal(index.intact, false);
      assert.equal(index.resolve("clusters_list"), undefined, "once not intact, nothing more is served");
      assert.equal(await callIndexFile(path, KEY).read(), undefined, "the other tier's index is not this one");
    });
  });
});
