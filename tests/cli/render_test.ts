import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { renderHuman, renderObject, renderTable, rowsOf, warningsOf } from "../../src/cli/render.ts";

describe("render", () => {
  it("renders a list as a table with upper-case headers and a dashed rule", () => {
    const text = renderTable([{ id: "i4y", name: "production" }, { id: "dev7", name: "dev" }], ["id", "name"]);
    assert.equal(text, ["ID    NAME", "----  ----------", "i4y   production", "dev7  dev"].join("\n"));
  });

  it("says so when a list is empty", () => {
    assert.equal(renderHuman([]), "No items found");
  });

  it("finds the rows of an object holding a single list", () => {
    assert.deepEqual(rowsOf({ clusters: [{ id: "a" }] }), [{ id: "a" }]);
    assert.equal(rowsOf({ id: "a", nodes: [] }), undefined);
  });

  it("renders an object as aligned key: value lines with nested values as JSON", () => {
    assert.equal(renderObject({ id: "k7m2p", health: { ok: true } }), "id:     k7m2p\nhealth: {\"ok\":true}");
  });

  it("renders a query result as a table of its rows under the query's columns", () => {
    const text = renderHuman({ columns: ["name", "posts"], rows: [{ name: "Ada", posts: 3 }], rowCount: 1 });
    assert.equal(text, "NAME  POSTS\n----  -----\nAda   3\n\nrowCount: 1");
  });

  it("keeps warnings out of the output and returns them for stderr", () => {
    const value = { id: "x", warnings: ["disk almost full"] };
    assert.equal(renderObject(value), "id: x");
    assert.deepEqual(warningsOf(value), ["Warning: disk almost full"]);
  });
});
