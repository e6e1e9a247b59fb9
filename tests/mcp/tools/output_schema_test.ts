import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { baselineCatalog } from "../../../src/catalog/load.ts";
import { buildOperations, toOperation } from "../../../src/catalog/operation.ts";
import { CommandSchema } from "../../../src/catalog/schema.ts";
import { outputSchemaFor } from "../../../src/mcp/tools/tool_definition.ts";

const operations = buildOperations(baselineCatalog());
const byCommand = (command: string) => operations.find((operation) => operation.command === command)!;
const op = (command: Record<string, unknown>) => toOperation(CommandSchema.parse({ description: "", mcp: ["read"], ...command }));

const typedList = op({
  command: "widgets/list",
  endpoint: "/:aid/widgets",
  method: "GET",
  output: { type: "array", fields: [{ name: "id", type: "string" }, { name: "replicas", type: "integer" }, { name: "password", type: "string" }, "note"] },
});
const typedObject = op({ command: "widgets/{id}/show", endpoint: "/:aid/widgets/:id", method: "GET", output: { type: "object", fields: [{ name: "id", type: "string" }, { name: "ready", type: "boolean" }] } });

describe("outputSchemaFor()", () => {
  it("describes a typed list as {items: [...]}, the way results wrap arrays, every type admitting null", () => {
    const schema = outputSchemaFor(typedList) as { properties: { items: { type: string; items: { properties: Record<string, { type: string[] }> } } }; required: string[] };
    assert.deepEqual(schema.required, ["items"]);
    assert.equal(schema.properties.items.type, "array");
    assert.deepEqual(schema.properties.items.items.properties.replicas, { type: ["integer", "null"] });
    assert.deepEqual(schema.properties.items.items.properties.id, { type: ["string", "null"] });
  });

  it("leaves secret-named fields untyped, so a redacted value still conforms", () => {
    const schema = outputSchemaFor(typedList) as { properties: { items: { items: { properties: Record<string, unknown> } } } };
    assert.equal(schema.properties.items.items.properties.password, undefined);
    assert.deepEqual(Object.keys((outputSchemaFor(typedObject) as { properties: object }).properties), ["id", "ready"]);
  });

  it("declares none where the catalog gives no types: untyped properties tell a model nothing", () => {
    const untyped = op({ command: "widgets/list", endpoint: "/:aid/widgets", method: "GET", output: { type: "array", fields: ["id", { name: "note", description: "Free text." }] } });
    assert.equal(outputSchemaFor(untyped), undefined);
    const clusters = outputSchemaFor(byCommand("clusters/list")) as { properties: { items: { items: { properties: object } } } };
    assert.deepEqual(Object.keys(clusters.properties.items.items.properties), ["health"], "only the typed field of the baseline's clusters/list");
  });

  it("declares none for writes and job-starting calls, whose answers change shape", () => {
    assert.equal(outputSchemaFor(byCommand("services/valkey/add")), undefined);
    assert.equal(outputSchemaFor(byCommand("services/postgresql/{id}/exec-sql")), undefined);
  });
});
