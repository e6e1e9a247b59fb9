import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigFileError } from "../../src/errors.ts";
import { JsonDocument, mergeEntry } from "../../src/configure/json_file.ts";
import { deleteMemberText, formatJson, setMemberText } from "../../src/configure/json_text.ts";

const jsonc = { path: "/p/mcp.json", comments: true };
const json = { path: "/p/.mcp.json", comments: false };

describe("JSON documents", () => {
  it("edits one member and keeps comments, trailing commas and the other bytes", () => {
    const text = '{\n  // servers\n  "servers": {\n    "a": { "command": "x" }, // mine\n  },\n  "z": 1 /* last */\n}\n';
    const doc = JsonDocument.open(text, jsonc);
    doc.set(["servers", "runos"], { command: "/r", args: ["mcp"] });
    assert.equal(
      doc.text(),
      '{\n  // servers\n  "servers": {\n    "a": { "command": "x" }, // mine\n    "runos": {\n      "command": "/r",\n      "args": ["mcp"]\n    }\n  },\n  "z": 1 /* last */\n}\n',
    );
    doc.delete(["servers", "runos"]);
    assert.equal(doc.text(), text.replace('}, // mine', '} // mine'), "only the separator comma goes; comments stay");
  });

  it("creates the missing path as the last member", () => {
    const doc = JsonDocument.open('{"theme": "dark"}', json);
    doc.set(["permissions", "allow"], ["mcp__runos__*"]);
    assert.equal(doc.text(), '{"theme": "dark",\n  "permissions": {\n    "allow": ["mcp__runos__*"]\n  }\n}\n');
    assert.deepEqual(JSON.parse(doc.text()), { theme: "dark", permissions: { allow: ["mcp__runos__*"] } });
  });

  it("keeps the file's own indentation", () => {
    const doc = JsonDocument.open('{\n\t"mcpServers": {\n\t\t"a": {}\n\t}\n}\n', json);
    doc.set(["mcpServers", "b"], { command: "c" });
    assert.equal(doc.text(), '{\n\t"mcpServers": {\n\t\t"a": {},\n\t\t"b": {\n\t\t\t"command": "c"\n\t\t}\n\t}\n}\n');
  });

  it("does not rewrite a value that is already equal, however it is formatted", () => {
    const text = '{"mcpServers": {"runos": {"command": "/r", "args": [\n"a"]}}}';
    const doc = JsonDocument.open(text, json);
    doc.set(["mcpServers", "runos"], { command: "/r", args: ["a"] });
    assert.equal(doc.text(), text);
  });

  it("deleting the first, middle, last and only members leaves valid JSON", () => {
    const text = '{\n  "m": {\n    "a": 1,\n    "b": 2,\n    "c": 3\n  }\n}\n';
    assert.equal(deleteMemberText(text, ["m", "a"]), '{\n  "m": {\n    "b": 2,\n    "c": 3\n  }\n}\n');
    assert.equal(deleteMemberText(text, ["m", "b"]), '{\n  "m": {\n    "a": 1,\n    "c": 3\n  }\n}\n');
    assert.equal(deleteMemberText(text, ["m", "c"]), '{\n  "m": {\n    "a": 1,\n    "b": 2\n  }\n}\n');
    assert.equal(deleteMemberText('{\n  "m": {\n    "a": 1\n  }\n}\n', ["m", "a"]), '{\n  "m": {}\n}\n');
  });

  it("ignores braces and slashes inside strings", () => {
    const text = '{"a": "} // not a comment {", "b": "x\\"}"}';
    assert.deepEqual(JSON.parse(setMemberText(text, ["c"], 1)!), { a: "} // not a comment {", b: 'x"}', c: 1 });
  });

  it("refuses comments where the client does not accept them, naming the file", () => {
    assert.throws(() => JsonDocument.open('{\n  // no\n  "a": 1\n}', json), (error: unknown) => {
      assert.ok(error instanceof ConfigFileError);
      assert.equal(error.path, "/p/.mcp.json");
      assert.match(error.message, /comments/);
      return true;
    });
  });

  it("refuses a file nested too deeply to read, with a message and a next step, instead of crashing", () => {
    assert.throws(() => JsonDocument.open(`{"a": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`, json), (error: unknown) => {
      assert.ok(error instanceof ConfigFileError);
      assert.match(error.message, /nested too deeply/);
      assert.ok(error.hint !== undefined && error.hint.length > 0);
      return true;
    });
  });

  it("refuses a non-object top level and a non-object on the path", () => {
    assert.throws(() => JsonDocument.open("[1]", json), ConfigFileError);
    const doc = JsonDocument.open('{"mcpServers": []}', json);
    assert.throws(() => doc.set(["mcpServers", "runos"], {}), ConfigFileError);
  });

  it("formats short scalar arrays on one line and long ones one item per line", () => {
    assert.equal(formatJson({ a: ["x", "y"], e: {} }, "", "  "), '{\n  "a": ["x", "y"],\n  "e": {}\n}');
    const long = Array.from({ length: 20 }, (_, i) => `tool_number_${i}`);
    assert.ok(formatJson(long, "", "  ").startsWith('[\n  "tool_number_0",\n'));
  });

  it("merges our entry over the user's, keeping their extra keys and chosen env", () => {
    assert.deepEqual(
      mergeEntry({ command: "/old", timeout: 5, env: { A: "1" } }, { command: "/new", env: {} }, ["env"]),
      { command: "/new", timeout: 5, env: { A: "1" } },
    );
  });

  it("appends and deletes array items without touching the others or their comments", () => {
    const empty = JsonDocument.open('{\n  "inputs": []\n}\n', json);
    empty.append(["inputs"], { id: "a" });
    assert.equal(empty.text(), '{\n  "inputs": [\n    {\n      "id": "a"\n    }\n  ]\n}\n');
    const commented = JsonDocument.open('{\n  "inputs": [\n    // theirs\n    {"id": "t"},\n  ]\n}\n', jsonc);
    commented.append(["inputs"], "x");
    assert.equal(commented.text(), '{\n  "inputs": [\n    // theirs\n    {"id": "t"},\n    "x"\n  ]\n}\n');
    commented.deleteItem(["inputs"], 1);
    assert.deepEqual(commented.get(["inputs"]), [{ id: "t" }]);
    assert.ok(commented.text().includes('// theirs\n    {"id": "t"}'), commented.text());
    const inline = JsonDocument.open('{"inputs": [1, 2, 3]}', json);
    inline.deleteItem(["inputs"], 1);
    assert.deepEqual(inline.get(["inputs"]), [1, 3]);
    inline.deleteItem(["inputs"], 1);
    assert.deepEqual(inline.get(["inputs"]), [1]);
    assert.throws(() => JsonDocument.open('{"inputs": {}}', json).append(["inputs"], 1), (error: unknown) => error instanceof ConfigFileError && /"inputs" should be a list/.test(error.message));
  });

  it("merges headers without regard to case: ours replaces theirs of the same name", () => {
    assert.deepEqual(
      mergeEntry({ headers: { authorization: "Bearer literal", "X-Team": "a" } }, { headers: { Authorization: "Bearer ${T}" } }, [], [], ["headers"]),
      { headers: { "X-Team": "a", Authorization: "Bearer ${T}" } },
    );
  });
});
