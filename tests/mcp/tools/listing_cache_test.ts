/**
 * A stored tools listing is used only when it is whole and derived from exactly what this start would
 * derive it from; every other file (stale, torn, foreign, unparsable) is ignored, never trusted.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import {
  type ListingKey,
  listingFileBytes,
  listingKey,
  parseListingFile,
  thisBuild,
  readListing,
  sdkRewritesListing,
  type StoredListing,
  writeListing,
} from "../../../src/mcp/tools/listing_cache.ts";
import { otherKeys } from "../../_harness/listing_keys.ts";
import { withTempDir } from "../../_harness/temp_project.ts";

const KEY: ListingKey = listingKey({
  catalogSha256: "a".repeat(64),
  tier: "read",
  mode: "auto",
  toolsets: { scoped: true, serviceTypes: ["Valkey", "postgres"] },
  defaultCluster: false,
}, "abc1234")!;

const LISTING: StoredListing = {
  toolsJson: Buffer.from(JSON.stringify([{ name: "clusters_list", description: "List clusters ✓", inputSchema: { type: "object" } }])),
  catalogVersion: "45.6.0+virt",
  commands: 999,
};

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

describe("stored tools listings", () => {
  it("reads back what was stored, byte for byte, under the same key", () => {
    const read = parseListingFile(listingFileBytes(KEY, LISTING), KEY);
    assert.ok(read !== undefined);
    assert.equal(text(read.toolsJson), text(LISTING.toolsJson));
    assert.equal(read.catalogVersion, LISTING.catalogVersion);
    assert.equal(read.commands, 999);
  });

  it("keys nothing when running from source (no build commit)", () => {
    assert.equal(listingKey({ catalogSha256: "a".repeat(64), tier: "read", mode: "auto", toolsets: undefined, defaultCluster: false }, undefined), undefined);
  });

  it("tells a build of a changed tree from the next build of it: the commit, then the executable's size and time", () => {
    assert.equal(thisBuild("abc1234"), "abc1234");
    assert.match(thisBuild("abc1234-dirty") ?? "", /^abc1234-dirty:\d+:[\d.]+$/);
    assert.equal(thisBuild(undefined), undefined);
  });

  it("scopes by the service types a scoped account runs, whatever their case and order", () => {
    const other = listingKey({ catalogSha256: "a".repeat(64), tier: "read", mode: "auto", toolsets: { scoped: true, serviceTypes: ["POSTGRES", "valkey"] }, defaultCluster: false }, "abc1234")!;
    assert.ok(parseListingFile(listingFileBytes(KEY, LISTING), other) !== undefined);
  });

  for (const [what, change] of otherKeys(KEY)) {
    it(`ignores a listing derived for ${what}`, () => {
      const stored = listingFileBytes({ ...KEY, ...change } as ListingKey, LISTING);
      assert.equal(parseListingFile(stored, KEY), undefined);
    });
  }

  it("ignores a torn listing: truncated anywhere, or a byte changed", () => {
    const whole = listingFileBytes(KEY, LISTING);
    for (const length of [0, 1, 20, whole.indexOf(0x0a), whole.indexOf(0x0a) + 1, whole.length - 1]) {
      assert.equal(parseListingFile(whole.subarray(0, length), KEY), undefined, `cut at ${length}`);
    }
    const changed = Buffer.from(whole);
    changed[changed.length - 5] = "X".charCodeAt(0);
    assert.equal(parseListingFile(changed, KEY), undefined);
  });

  it("ignores a listing whose tools were swapped under a header left as it was", () => {
    const whole = text(listingFileBytes(KEY, LISTING));
    const header = whole.slice(0, whole.indexOf("\n"));
    const forged = Buffer.from(`${header}\n${JSON.stringify([{ name: "forged_tool", description: "x".repeat(20), inputSchema: { type: "object" } }])}`);
    assert.equal(parseListingFile(forged, KEY), undefined);
  });

  it("ignores what is not a listing file: no header line, a header that is not JSON or not an object, another format", () => {
    for (const junk of ["", "[]", "not json\n[]", "[1,2]\n[]", "null\n[]", `${JSON.stringify({ ...KEY, format: 99 })}\n[]`]) {
      assert.equal(parseListingFile(Buffer.from(junk), KEY), undefined, junk);
    }
    assert.equal(parseListingFile(Buffer.from([0xff, 0xfe, 0x0a, 0x5b, 0x5d]), KEY), undefined);
  });

  it("stores atomically and reads back; a missing file is no listing", async () => {
    await withTempDir("listing", async (dir) => {
      const path = `${dir}/default/tools.read.auto.json`;
      assert.equal(await readListing(path, KEY), undefined);
      await writeListing(path, KEY, LISTING);
      assert.equal(text((await readListing(path, KEY))!.toolsJson), text(LISTING.toolsJson));
      assert.equal(await readListing(path, { ...KEY, tier: "write" }), undefined);
    });
  });

  it("knows the listings the SDK would rewrite (an output schema whose root is not an object)", () => {
    assert.equal(sdkRewritesListing([{ name: "a", outputSchema: { type: "object" } }, { name: "b" }]), false);
    assert.equal(sdkRewritesListing([{ name: "a", outputSchema: { type: "array" } }]), true);
  });
});
