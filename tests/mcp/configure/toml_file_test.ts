import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "smol-toml";
import { ConfigFileError } from "../../../src/errors.ts";
import { trustCodexProject, updateCodexServers } from "../../../src/mcp/configure/codex.ts";
import { serverEntries } from "../../../src/mcp/configure/servers.ts";
import { parseDottedKey, replaceTables, splitLines, tableSections } from "../../../src/mcp/configure/toml_file.ts";

const servers = serverEntries({ command: "/opt/runos/bin/runos", args: [] }, ["read", "write"]);

describe("TOML patching", () => {
  it("parses dotted table keys, quoted or bare", () => {
    assert.deepEqual(parseDottedKey('mcp_servers."runos-write".tools'), ["mcp_servers", "runos-write", "tools"]);
    assert.deepEqual(parseDottedKey(`projects.'/a b'`), ["projects", "/a b"]);
    assert.equal(parseDottedKey("a..b"), undefined);
  });

  it("does not take a bracket line inside a multi-line string for a table", () => {
    const lines = splitLines('a = """\n[not.a.table]\n"""\n[real]\nx = 1\n');
    assert.deepEqual(tableSections(lines).map((section) => section.path), [["real"]]);
  });

  it("replaces only the owned tables and keeps the others with their comments", () => {
    const text = "# top\n[a]\nx = 1 # one\n\n[b]\ny = 2\n\n# about c\n[c]\nz = 3\n";
    const next = replaceTables(text, (section) => section.path[0] === "b", ["[b]", "y = 5"]);
    assert.equal(next, "# top\n[a]\nx = 1 # one\n\n[b]\ny = 5\n\n# about c\n[c]\nz = 3\n");
    assert.equal(replaceTables(text, (section) => section.path[0] === "b", []), "# top\n[a]\nx = 1 # one\n\n# about c\n[c]\nz = 3\n");
  });

  it("a server table quoted by the user is recognised and replaced, not duplicated", () => {
    const text = '[mcp_servers."runos"]\ncommand = "/old"\nargs = []\n';
    const next = updateCodexServers("/c.toml", text, servers, false)!;
    const parsed = parse(next) as { mcp_servers: Record<string, { command: string }> };
    assert.equal(parsed.mcp_servers.runos!.command, "/opt/runos/bin/runos");
    assert.equal(next.match(/runos\b/g)!.length >= 2, true);
    assert.equal(next.includes('"runos"]'), false);
  });

  it("refuses, unchanged, when runos is defined inline where a table cannot be added", () => {
    const text = '[mcp_servers]\nrunos = { command = "/old", args = [] }\n';
    assert.throws(() => updateCodexServers("/c.toml", text, servers, false), (error: unknown) => {
      assert.ok(error instanceof ConfigFileError);
      assert.match(error.message, /could not update \/c\.toml safely/);
      assert.match(error.hint ?? "", /\[mcp_servers\.runos\]/);
      return true;
    });
  });

  it("refuses invalid TOML with the parser's words", () => {
    assert.throws(() => updateCodexServers("/c.toml", "[a\n", servers, false), /\/c\.toml is not valid TOML/);
  });

  it("keeps CRLF line endings", () => {
    const next = updateCodexServers("/c.toml", 'model = "o3"\r\n', servers, false)!;
    assert.ok(next.startsWith('model = "o3"\r\n\r\n[mcp_servers.runos]\r\n'));
    assert.equal(next.replace(/\r\n/g, "").includes("\n"), false);
  });

  it("trust is added once and reported unchanged after", () => {
    const once = trustCodexProject("/g.toml", 'model = "o3"\n', "C:\\Users\\me\\proj");
    assert.equal(once, 'model = "o3"\n\n[projects."C:\\\\Users\\\\me\\\\proj"]\ntrust_level = "trusted"\n');
    assert.equal(trustCodexProject("/g.toml", once, "C:\\Users\\me\\proj"), once);
  });
});
