import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { baselineCatalog } from "../../src/catalog/load.ts";
import { buildOperations } from "../../src/catalog/operation.ts";
import { renderToolTable, TOOL_TABLE_BEGIN, TOOL_TABLE_END } from "../../src/mcp/tools/tool_table.ts";

describe("README tool table", () => {
  it("matches what the four servers list from the embedded catalog (run `make readme` after a catalog change)", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const begin = readme.indexOf(TOOL_TABLE_BEGIN);
    const end = readme.indexOf(TOOL_TABLE_END);
    assert.ok(begin >= 0 && end > begin, "README.md has the tool table markers");
    assert.equal(readme.slice(begin, end + TOOL_TABLE_END.length), renderToolTable(buildOperations(baselineCatalog())));
  });

  it("marks delete tools destructive and lists credentials only on sensitive servers", () => {
    const table = renderToolTable(buildOperations(baselineCatalog()));
    assert.match(table, /^\| `services_valkey_delete` \|  \|  \| ⚠ \| ⚠ \|/m);
    assert.match(table, /^\| `services_postgresql_credentials` \|  \| r \|  \|  \|/m);
    assert.match(table, /^\| `clusters_list` \| r \| r \|  \|  \|/m);
  });
});
