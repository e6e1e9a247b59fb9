import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rowsOf } from "../../src/api/rows.ts";
import { headerOf, renderHuman, renderObject, renderTable, renderTsv, summary, warningsOf } from "../../src/cli/render.ts";
import { COLOR, PLAIN } from "../../src/cli/style.ts";
import { toYaml } from "../../src/cli/yaml.ts";

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

  it("renders an object as aligned key: value lines, nested objects indented below their key", () => {
    assert.equal(renderObject({ id: "k7m2p", health: { ok: true } }), "id:     k7m2p\nhealth:\n  ok: true");
    assert.equal(renderObject({ checks: [{ name: "api", status: "pass" }] }), "checks:\n  NAME  STATUS\n  ----  ------\n  api   pass");
  });

  it("renders a query result as a table of its rows under the query's columns, with the row count", () => {
    const text = renderHuman({ columns: ["name", "posts"], rows: [{ name: "Ada", posts: 3 }], rowCount: 1 });
    assert.equal(text, "NAME  POSTS\n----  -----\nAda   3\n\n(1 row)");
  });

  it("renders a statement without rows (a DELETE) as its command tag, or its affected row count", () => {
    assert.equal(renderHuman({ columns: [], rows: [], rowCount: 3, readOnly: false, command: "DELETE 3" }), "DELETE 3");
    assert.equal(renderHuman({ columns: [], rows: [], rowCount: 1 }), "1 row affected");
  });

  it("splits camelCase headers into words: KUBERNETES VERSION, CREATED AT", () => {
    const text = renderTable([{ kubernetesVersion: "1.31", createdAt: "2024", apiURLPrefix: "x" }]);
    assert.equal(text.split("\n")[0], "KUBERNETES VERSION  CREATED AT  API URL PREFIX");
    assert.equal(headerOf("node_count"), "node count");
  });

  it("summarises nested values in table cells instead of printing JSON", () => {
    assert.equal(summary({ status: "healthy", nodesReady: 4, nodesTotal: 5 }), "healthy (4/5 nodes ready)");
    assert.equal(summary(["a", "b"]), "a, b");
    assert.equal(summary([{ name: "users-db" }, { name: "cache" }]), "users-db, cache");
    assert.equal(summary([{ x: 1 }, { x: 2 }]), "2 items");
    assert.equal(summary({ cpu: 2, memoryMb: 4096 }), "cpu=2 memoryMb=4096");
    assert.ok(!renderTable([{ id: "a", health: { status: "ok", checks: [] } }]).includes("{"));
  });

  it("prints tab-separated values with the raw field names as a stable header, nested objects flattened into dotted columns", () => {
    const rows = [{ id: "i4y", name: "prod\tone", health: { status: "ok" } }, { name: "dev", id: "dev7", health: null }];
    assert.equal(renderTsv(rows, ["id", "name", "health"]), "id\tname\thealth.status\ni4y\tprod\\tone\tok\ndev7\tdev\t");
    assert.equal(renderTsv({ id: "x", warnings: ["w"] }), "id\nx");
  });

  it("prints a field the catalog does not list after its columns, and keeps an absent catalog column in place", () => {
    assert.equal(renderTsv([{ id: "a", extra: 1 }], ["id", "name"]), "id\tname\textra\na\t\t1");
  });

  it("joins a list of scalars with commas and gives a list of objects one column per member, commas escaped", () => {
    const value = { tags: ["a", "b,c"], usedBy: [{ id: "1", name: "web" }, { id: "2" }] };
    assert.equal(renderTsv(value), "tags\tusedBy.id\tusedBy.name\na,b\\,c\t1,2\tweb,");
  });

  it("prints a SQL statement without rows as its command tag, and rows under the query's own columns", () => {
    assert.equal(renderTsv({ columns: [], rows: [], rowCount: 2, readOnly: false, command: "DELETE 2" }, ["columns", "rows", "rowCount", "readOnly"]), "DELETE 2");
    assert.equal(renderTsv({ columns: [], rows: [], rowCount: 1 }), "1 row affected");
    assert.equal(renderTsv({ columns: [{ name: "n" }], rows: [[3]], rowCount: 1 }), "n\n3");
  });

  it("a list's table names the fields it has no column for; wide gives them columns", () => {
    const rows = [{ id: "a", status: "ok", note: "x" }, { id: "b", status: "ok", error: "boom" }];
    assert.equal(renderHuman(rows, ["id", "status"]), "ID  STATUS\n--  ------\na   ok\nb   ok\n(not shown: note, error; -o wide shows every field)");
    assert.equal(renderHuman(rows, ["id", "status"], PLAIN, { wide: true }), "ID  STATUS  NOTE  ERROR\n--  ------  ----  -----\na   ok      x\nb   ok            boom");
  });

  it("an object's list of scalars is shown whole, not cut to a cell's width", () => {
    const hosts = Array.from({ length: 8 }, (_, i) => `host-${i}.example.internal`);
    assert.equal(renderObject({ hosts }), `hosts: ${hosts.join(", ")}`);
  });

  it("prints YAML that reads back as the same strings", () => {
    assert.equal(toYaml({ id: "i4y", version: "1.31", at: "2024-03-12T10:02:17Z", on: "yes", list: [{ a: 1 }, "b"], empty: {} }),
      'id: i4y\nversion: "1.31"\nat: "2024-03-12T10:02:17Z"\n"on": "yes"\nlist:\n- a: 1\n- b\nempty: {}\n');
  });

  it("colours status words and bold headers only with the colour style", () => {
    const rows = [{ id: "a", status: "failed" }];
    assert.ok(!renderTable(rows, [], PLAIN).includes("\x1b["));
    const coloured = renderTable(rows, [], COLOR);
    assert.match(coloured, /\x1b\[31mfailed\x1b\[39m/);
    assert.match(coloured, /\x1b\[1mID/);
  });

  it("keeps warnings out of the output and returns them for stderr", () => {
    const value = { id: "x", warnings: ["disk almost full"] };
    assert.equal(renderObject(value), "id: x");
    assert.deepEqual(warningsOf(value), ["Warning: disk almost full"]);
  });
});
