import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { catalogCachePath, writeCachedCatalog } from "../../src/catalog/cache.ts";
import { baselineCatalog, loadCatalog } from "../../src/catalog/load.ts";
import { parseCatalog } from "../../src/catalog/schema.ts";
import { withTempDir } from "../_harness/temp_project.ts";

const smallCatalog = {
  version: "9.9.9+test",
  commands: [{ command: "clusters/list", description: "List clusters", endpoint: "/:aid/clusters", method: "GET", mcp: ["read", "sensitive_read"], futureKey: { kept: true } }],
};

describe("parseCatalog", () => {
  it("accepts a valid catalog and keeps unknown keys", () => {
    const parsed = parseCatalog(smallCatalog);
    assert.ok(parsed.ok);
    assert.deepEqual((parsed.catalog.commands[0] as Record<string, unknown>).futureKey, { kept: true });
  });

  it("refuses a catalog without commands or with a bad method", () => {
    assert.equal(parseCatalog({ version: "1" }).ok, false);
    assert.equal(parseCatalog({ version: "1", commands: [{ command: "x/list", endpoint: "/x", method: "FETCH" }] }).ok, false);
  });

  it("refuses a newer schemaVersion, saying to upgrade", () => {
    const parsed = parseCatalog({ ...smallCatalog, schemaVersion: 99 });
    assert.equal(parsed.ok, false);
    assert.match(parsed.ok ? "" : parsed.problems.join(" "), /upgrade runos/);
  });
});

describe("loadCatalog", () => {
  it("uses the embedded baseline when nothing is cached", async () => {
    await withTempDir("load", async (dir) => {
      const loaded = await loadCatalog({ profile: "default", cacheDir: dir, env: {} });
      assert.equal(loaded.source, "baseline");
      assert.equal(loaded.catalog.version, baselineCatalog().version);
      assert.equal(loaded.operations.length, baselineCatalog().commands.length);
      assert.deepEqual(loaded.warnings, []);
    });
  });

  it("uses a valid cached catalog of the profile", async () => {
    await withTempDir("load", async (dir) => {
      await writeCachedCatalog("work", JSON.stringify(smallCatalog), { version: "9.9.9+test", fetchedAt: new Date(0).toISOString() }, dir);
      const loaded = await loadCatalog({ profile: "work", cacheDir: dir, env: {} });
      assert.equal(loaded.source, "cache");
      assert.equal(loaded.catalog.version, "9.9.9+test");
      assert.deepEqual(loaded.operations.map((op) => op.toolName), ["clusters_list"]);
      assert.equal((await loadCatalog({ profile: "other", cacheDir: dir, env: {} })).source, "baseline");
    });
  });

  it("falls back to the baseline with a warning on a corrupt cache, leaving the file untouched", async () => {
    await withTempDir("load", async (dir) => {
      const path = catalogCachePath("default", dir);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, '{"version": "1", "commands": [trunc');
      const loaded = await loadCatalog({ profile: "default", cacheDir: dir, env: {} });
      assert.equal(loaded.source, "baseline");
      assert.equal(loaded.warnings.length, 1);
      assert.match(loaded.warnings[0]!, /not valid JSON/);
      assert.match(loaded.warnings[0]!, /runos manifest update/);
      assert.equal(await readFile(path, "utf8"), '{"version": "1", "commands": [trunc');
    });
  });

  it("falls back to the baseline with a warning on a cache of a newer schemaVersion", async () => {
    await withTempDir("load", async (dir) => {
      const text = JSON.stringify({ ...smallCatalog, schemaVersion: 2 });
      await writeCachedCatalog("default", text, { version: "9.9.9+test", fetchedAt: new Date(0).toISOString() }, dir);
      const loaded = await loadCatalog({ profile: "default", cacheDir: dir, env: {} });
      assert.equal(loaded.source, "baseline");
      assert.match(loaded.warnings.join(" "), /schemaVersion 2/);
      assert.equal(await readFile(catalogCachePath("default", dir), "utf8"), text);
    });
  });

  it("reads the profile from RUNOS_PROFILE when none is given", async () => {
    await withTempDir("load", async (dir) => {
      await writeCachedCatalog("ci", JSON.stringify(smallCatalog), { version: "9.9.9+test", fetchedAt: new Date(0).toISOString() }, dir);
      const loaded = await loadCatalog({ cacheDir: dir, env: { RUNOS_PROFILE: "ci", RUNOS_CONFIG_DIR: dir } });
      assert.equal(loaded.source, "cache");
    });
  });
});
