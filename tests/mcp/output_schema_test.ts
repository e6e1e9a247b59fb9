import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { baselineCatalog } from "../../src/catalog/load.ts";
import { buildOperations } from "../../src/catalog/operation.ts";
import { outputSchemaFor } from "../../src/mcp/tool_definition.ts";

const operations = buildOperations(baselineCatalog());
const byCommand = (command: string) => operations.find((operation) => operation.command === command)!;

describe("outputSchemaFor()", () => {
  it("describes a list as {items: [...]}, the way results wrap arrays", () => {
    const schema = outputSchemaFor(byCommand("clusters/list")) as { properties: { items: { type: string; items: { properties: Record<string, unknown> } } }; required: string[] };
    assert.deepEqual(schema.required, ["items"]);
    assert.equal(schema.properties.items.type, "array");
    assert.ok("id" in schema.properties.items.items.properties);
  });

  it("describes an object's declared fields without types, so redacted values still conform", () => {
    const schema = outputSchemaFor(byCommand("clusters/{cid}/show")) as { type: string; properties: Record<string, Record<string, unknown>> };
    assert.equal(schema.type, "object");
    assert.ok(Object.keys(schema.properties).length > 0);
    for (const property of Object.values(schema.properties)) assert.equal(property.type, undefined);
  });

  it("declares none for writes and job-starting calls, whose answers change shape", () => {
    assert.equal(outputSchemaFor(byCommand("services/valkey/add")), undefined);
    assert.equal(outputSchemaFor(byCommand("services/postgresql/{id}/exec-sql")), undefined);
  });
});
