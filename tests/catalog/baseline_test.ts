import { describe, it } from "node:test";
import assert from "node:assert/strict";
import baselineJson from "../../src/catalog/baseline.json" with { type: "json" };
import manifestJson from "../../fixtures/catalog/manifest.json" with { type: "json" };
import { baselineCatalog } from "../../src/catalog/load.ts";
import { buildOperations } from "../../src/catalog/operation.ts";
import { MAX_TOOL_NAME_LENGTH } from "../../src/catalog/naming.ts";
import { parseCatalog } from "../../src/catalog/schema.ts";

describe("the embedded baseline catalog", () => {
  it("parses to exactly itself, defaults included, so start-up may skip validating it", () => {
    const parsed = parseCatalog(structuredClone(baselineJson));
    assert.ok(parsed.ok, parsed.ok ? "" : parsed.problems.join("; "));
    if (parsed.ok) assert.deepEqual(parsed.catalog, baselineCatalog());
  });

  it("gives every command a unique tool name within Claude Code's budget", () => {
    for (const catalog of [baselineCatalog(), manifestJson]) {
      const parsed = parseCatalog(catalog);
      assert.ok(parsed.ok);
      if (!parsed.ok) continue;
      const names = buildOperations(parsed.catalog).map((operation) => operation.toolName);
      assert.equal(new Set(names).size, names.length);
      for (const name of names) assert.ok(name.length <= MAX_TOOL_NAME_LENGTH, name);
    }
  });
});
