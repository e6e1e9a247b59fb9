import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { catalogCachePath, catalogMetaPath, readCachedCatalog, writeCachedCatalog } from "../../src/catalog/cache.ts";
import { withTempDir } from "../_harness/temp_project.ts";

const text = '{ "version": "3.1.0", "commands": [ { "command": "clusters/list", "endpoint": "/:aid/clusters", "method": "GET" } ] }';

describe("manifest cache", () => {
  it("lives per profile under the cache directory", () => {
    assert.equal(catalogCachePath("work", "/c"), join("/c", "work", "manifest.json"));
    assert.equal(catalogMetaPath("work", "/c"), join("/c", "work", "manifest.meta.json"));
  });

  it("stores the catalog byte for byte with its metadata and reads both back", async () => {
    await withTempDir("cache", async (dir) => {
      const meta = { etag: '"abc"', version: "3.1.0", fetchedAt: "2026-01-01T00:00:00.000Z", accountId: "acme" };
      const path = await writeCachedCatalog("default", text, meta, dir);
      assert.equal(await readFile(path, "utf8"), text);
      const cached = await readCachedCatalog("default", dir);
      assert.equal(cached.kind, "ok");
      if (cached.kind !== "ok") return;
      assert.equal(cached.catalog.version, "3.1.0");
      assert.deepEqual(cached.meta, meta);
      assert.equal(cached.text, text);
    });
  });

  it("reports a missing cache as missing, not as an error", async () => {
    await withTempDir("cache", async (dir) => {
      assert.deepEqual(await readCachedCatalog("default", dir), { kind: "missing" });
    });
  });
});
