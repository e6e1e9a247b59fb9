/**
 * A tier host answers tools/list from the listing stored at an earlier start only when the cached
 * catalog is the very text it was derived from, or the embedded catalog of the same build (and every
 * other input is the same): a changed, truncated or foreign catalog cache or listing file is detected,
 * and the tools are built afresh. Its call index, stored beside it, is derived again when torn.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { catalogCachePath } from "../../../src/catalog/cache.ts";
import { baselineCatalog } from "../../../src/catalog/load.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../../src/fake_api/demo.ts";
import { createLogger } from "../../../src/log.ts";
import { openTierHost, type TierHost } from "../../../src/mcp/host/tier_host.ts";
import { callIndexPath } from "../../../src/mcp/tools/call_index.ts";
import { listingPath } from "../../../src/mcp/tools/listing_cache.ts";
import type { Tier } from "../../../src/policy/tier.ts";
import { catalogFixturePath } from "../../_harness/catalogs.ts";
import { withTempDir } from "../../_harness/temp_project.ts";
import { textOf } from "../_support.ts";

const BUILD = "test-build";

/** A signed-in host of `tier` (or a sandbox's) over the profile cache in `dir`, keyed by `build`. */
function openHost(dir: string, tier: Tier = "read", options: { build?: string; clusterId?: string; sandbox?: boolean } = {}): Promise<TierHost> {
  return openTierHost(tier, {
    ...(options.sandbox === true
      ? { sandbox: true }
      : { env: { RUNOS_API_KEY: DEMO_TOKEN, RUNOS_ACCOUNT_ID: DEMO_ACCOUNT_ID, ...(options.clusterId === undefined ? {} : { RUNOS_CLUSTER_ID: options.clusterId }) } }),
    configDir: join(dir, "config"),
    cacheDir: join(dir, "cache"),
    logger: createLogger({ level: "silent" }),
    sync: false,
    audit: false,
    watchIntervalMs: 0,
    listingBuild: options.build ?? BUILD,
  });
}

/** What a host lists: the stored text when it answers from one, else its built tools; and which it was. */
async function listing(host: TierHost): Promise<{ stored: boolean; json: string }> {
  const stored = await host.storedToolsJson();
  if (stored !== undefined) return { stored: true, json: Buffer.from(stored).toString("utf8") };
  return { stored: false, json: JSON.stringify(await host.listTools()) };
}

/** Open, list, close (which waits for the listing to be stored); the listing. */
async function startOnce(dir: string, tier: Tier = "read", options: { build?: string; clusterId?: string } = {}) {
  const host = await openHost(dir, tier, options);
  try {
    return await listing(host);
  } finally {
    await host.close();
  }
}

/** Cache the test manifest (fixtures/catalog/manifest.json) as the profile's catalog. */
async function cacheManifest(dir: string, text?: string): Promise<string> {
  const path = catalogCachePath("default", join(dir, "cache"));
  await mkdir(join(dir, "cache", "default"), { recursive: true });
  const content = text ?? await readFile(catalogFixturePath("manifest"), "utf8");
  await writeFile(path, content);
  return content;
}

describe("a stored tools listing", () => {
  it("is derived at the first start, then answered as stored, identical to the built tools", async () => {
    await withTempDir("stored-listing", async (dir) => {
      await cacheManifest(dir);
      const first = await startOnce(dir);
      assert.equal(first.stored, false);
      const second = await openHost(dir);
      try {
        const answered = await listing(second);
        assert.equal(answered.stored, true);
        assert.equal(answered.json, first.json);
        // The registry is built on demand from the same catalog, and lists the same tools.
        assert.equal(JSON.stringify(await second.listTools()), first.json);
        assert.equal(second.catalog.source, "cache");
      } finally {
        await second.close();
      }
    });
  });

  it("is not served once the cached catalog changed: the tools come from the new catalog", async () => {
    await withTempDir("stored-listing-changed", async (dir) => {
      const text = await cacheManifest(dir);
      const before = await startOnce(dir);
      const catalog = JSON.parse(text) as { version: string; commands: Array<{ command: string }> };
      const changed = { ...catalog, version: "9.9.9", commands: catalog.commands.filter((command) => command.command !== "clusters/list") };
      await cacheManifest(dir, JSON.stringify(changed));
      const after = await startOnce(dir);
      assert.equal(after.stored, false);
      assert.ok(before.json.includes('"clusters_list"'));
      assert.ok(!after.json.includes('"clusters_list"'), "the removed command's tool is gone");
      // Same length, one byte changed, the file's time untouched: still detected by the text's hash.
      const same = JSON.stringify(changed).replace("9.9.9", "9.9.8");
      await cacheManifest(dir, same);
      assert.equal((await startOnce(dir)).stored, false);
    });
  });

  it("is not served when the cached catalog is truncated: the embedded catalog's tools are", async () => {
    await withTempDir("stored-listing-truncated", async (dir) => {
      const text = await cacheManifest(dir);
      await startOnce(dir);
      await cacheManifest(dir, text.slice(0, text.length >> 1));
      const host = await openHost(dir);
      try {
        const answered = await listing(host);
        assert.equal(answered.stored, false);
        assert.equal(host.catalog.source, "baseline");
        assert.equal(host.catalog.version, baselineCatalog().version);
      } finally {
        await host.close();
      }
    });
  });

  it("is not served from a torn or foreign file, and is derived again", async () => {
    await withTempDir("stored-listing-torn", async (dir) => {
      await cacheManifest(dir);
      const built = await startOnce(dir);
      const path = listingPath("default", join(dir, "cache"), "read", "auto");
      const whole = await readFile(path);
      await writeFile(path, whole.subarray(0, whole.length - 10));
      assert.deepEqual(await startOnce(dir), { stored: false, json: built.json });
      // Derived again at that start: the next one answers from it.
      assert.deepEqual(await startOnce(dir), { stored: true, json: built.json });
      // Another tier's listing copied in place of this one's.
      await startOnce(dir, "sensitive-read");
      await copyFile(listingPath("default", join(dir, "cache"), "sensitive-read", "auto"), path);
      assert.deepEqual(await startOnce(dir), { stored: false, json: built.json });
    });
  });

  it("is not served to another build, nor with a default cluster it was not derived with", async () => {
    await withTempDir("stored-listing-foreign", async (dir) => {
      await cacheManifest(dir);
      const built = await startOnce(dir);
      assert.deepEqual(await startOnce(dir, "read", { build: "another-build" }), { stored: false, json: built.json });
      const withCluster = await startOnce(dir, "read", { build: BUILD, clusterId: "i4y" });
      assert.equal(withCluster.stored, false);
      assert.notEqual(withCluster.json, built.json, "cid is optional with a default cluster");
    });
  });

  it("is stored for the embedded catalog too, keyed by the build that embeds it", async () => {
    await withTempDir("stored-listing-embedded", async (dir) => {
      const built = await startOnce(dir);
      assert.equal(built.stored, false);
      const host = await openHost(dir);
      try {
        assert.deepEqual(await listing(host), { stored: true, json: built.json });
        assert.equal(host.catalog.source, "baseline");
        assert.equal(host.catalog.version, baselineCatalog().version);
      } finally {
        await host.close();
      }
      assert.deepEqual(await startOnce(dir, "read", { build: "another-build" }), { stored: false, json: built.json });
    });
  });

  it("comes with the tier's call index, derived again when torn", async () => {
    await withTempDir("stored-listing-index", async (dir) => {
      await cacheManifest(dir);
      await startOnce(dir);
      const path = callIndexPath("default", join(dir, "cache"), "read", "auto");
      const whole = await readFile(path);
      await writeFile(path, whole.subarray(0, whole.length - 10));
      const host = await openHost(dir);
      try {
        assert.match(textOf(await host.call("nope", {})), /unknown tool `nope` on the `runos` server/);
      } finally {
        await host.close();
      }
      assert.ok((await readFile(path)).equals(whole), "the torn index was derived again, as it was");
    });
  });

  it("is neither read nor stored by a sandbox", async () => {
    await withTempDir("stored-listing-sandbox", async (dir) => {
      const host = await openHost(dir, "read", { sandbox: true });
      try {
        assert.equal((await listing(host)).stored, false);
      } finally {
        await host.close();
      }
      assert.deepEqual(await readdir(join(dir, "cache")).catch(() => []), []);
    });
  });
});
