import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { catalogValidatedPath, markCachedCatalogValidated, readCachedCatalog, writeCachedCatalog } from "../../src/catalog/cache.ts";
import { CATALOG_SCHEMA_REVISION, catalogWithDefaults } from "../../src/catalog/defaults.ts";
import { CatalogSchema, parseCatalog, SUPPORTED_SCHEMA_VERSION } from "../../src/catalog/schema.ts";
import baselineJson from "../../src/catalog/baseline.json" with { type: "json" };
import { withTempDir } from "../_harness/temp_project.ts";

const FIXTURES = fileURLToPath(new URL("../../fixtures/catalog/", import.meta.url));
const META = { version: "9.9.9+test", fetchedAt: new Date(0).toISOString() };

/** Every catalog the repository holds: the baseline and the fixtures. */
function catalogs(): Array<[string, unknown]> {
  return [
    ["the baseline", baselineJson],
    ...readdirSync(FIXTURES).filter((name) => name.endsWith(".json")).map((name): [string, unknown] => [name, JSON.parse(readFileSync(`${FIXTURES}${name}`, "utf8"))]),
  ];
}

/** What zod makes of `value`, which must be a valid catalog. */
function zodCatalog(value: unknown): unknown {
  const parsed = parseCatalog(value);
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return parsed.catalog;
}

/** Commands as sparse and as cluttered as the schema allows: absent defaults, unknown keys first. */
const EDGE_CASES: unknown = {
  extra: { kept: true },
  commands: [
    { zz: 1, method: "GET", endpoint: "/:aid/a", command: "a" },
    {
      command: "b/{id}/show",
      endpoint: "/:aid/b/:id",
      method: "POST",
      mcp: ["read", "custom"],
      input: { q: 1, flags: [{ x: 1, name: "force", default: false }], fields: [{ extra: [1], type: "string", name: "id", enum: ["x", 2], default: null }] },
      output: { k: 1, fields: ["a", { description: "d", name: "n", w: 2 }], type: "object" },
      returnsJob: true,
      description: "B.",
    },
    { command: "c", endpoint: "/c", method: "DELETE", input: {}, output: {} },
  ],
  version: "1.0.0",
  schemaVersion: 1,
};

describe("catalogWithDefaults()", () => {
  for (const [name, value] of [...catalogs(), ["the edge cases", EDGE_CASES] as [string, unknown]]) {
    it(`gives exactly what zod gives for ${name}, key order included`, () => {
      assert.equal(JSON.stringify(catalogWithDefaults(structuredClone(value))), JSON.stringify(zodCatalog(structuredClone(value))));
      assert.deepEqual(catalogWithDefaults(structuredClone(value)), zodCatalog(structuredClone(value)));
    });
  }

  it("is told apart from the schema it mirrors: bump CATALOG_SCHEMA_REVISION (and follow in defaults.ts) when the schema changes", () => {
    const fingerprint = createHash("sha256").update(`${SUPPORTED_SCHEMA_VERSION} ${JSON.stringify(z.toJSONSchema(CatalogSchema, { io: "output" }))}`).digest("hex");
    assert.deepEqual({ revision: CATALOG_SCHEMA_REVISION, fingerprint }, { revision: 1, fingerprint: "d80681fbcb4550c287520fda06a4db5d3fa197f3a2d955bdaac0c74f8001b08e" });
  });
});

describe("a cached manifest validated once", () => {
  const valid = JSON.stringify({ version: "3.1.0", commands: [{ command: "clusters/list", endpoint: "/:aid/clusters", method: "GET" }] });
  const invalid = JSON.stringify({ version: "3.1.0", commands: [{ command: "Not A Path", endpoint: "clusters", method: "FETCH" }] });

  it("is marked when it parses, with this release, the schema revision and its text's SHA-256", async () => {
    await withTempDir("validated", async (dir) => {
      await writeCachedCatalog("default", valid, META, dir);
      assert.equal((await readCachedCatalog("default", dir)).kind, "ok");
      const marker = JSON.parse(await readFile(catalogValidatedPath("default", dir), "utf8"));
      assert.equal(marker.schemaRevision, CATALOG_SCHEMA_REVISION);
      assert.equal(marker.sha256, createHash("sha256").update(valid).digest("hex"));
      assert.equal(typeof marker.runos, "string");
    });
  });

  it("is read without the schema while its marker matches: proved by a text the schema would refuse", async () => {
    await withTempDir("validated", async (dir) => {
      await writeCachedCatalog("default", invalid, META, dir);
      assert.equal((await readCachedCatalog("default", dir)).kind, "invalid");
      await markCachedCatalogValidated("default", invalid, dir);
      assert.equal((await readCachedCatalog("default", dir)).kind, "ok");
    });
  });

  it("is parsed again when its text, the release or the schema revision differs from the marker's", async () => {
    await withTempDir("validated", async (dir) => {
      await writeCachedCatalog("default", invalid, META, dir);
      const digest = createHash("sha256").update(invalid).digest("hex");
      await markCachedCatalogValidated("default", valid, dir);
      assert.equal((await readCachedCatalog("default", dir)).kind, "invalid", "another text");
      const marker = JSON.parse(await readFile(catalogValidatedPath("default", dir), "utf8"));
      for (const stale of [{ ...marker, sha256: digest, runos: "0.0.0-other" }, { ...marker, sha256: digest, schemaRevision: CATALOG_SCHEMA_REVISION + 1 }]) {
        await writeFile(catalogValidatedPath("default", dir), JSON.stringify(stale));
        assert.equal((await readCachedCatalog("default", dir)).kind, "invalid", JSON.stringify(stale));
      }
    });
  });
});
