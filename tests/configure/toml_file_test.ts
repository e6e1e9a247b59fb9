import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "smol-toml";
import { ConfigFileError } from "../../src/errors.ts";
import { trustCodexProject, updateCodexServers } from "../../src/configure/codex.ts";
import { serverEntries } from "../../src/configure/servers.ts";
import { parseDottedKey, replaceTables, splitLines, tableSections } from "../../src/configure/toml_file.ts";

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

  it("passes runos's variables through to each started server, keeping names the user listed first", () => {
    const text = '[mcp_servers.runos]\ncommand = "/old/runos"\nenv_vars = ["HTTPS_PROXY", "RUNOS_PROFILE"]\n';
    const parsed = parse(updateCodexServers("/c.toml", text, servers, false)!) as { mcp_servers: Record<string, { env_vars?: string[] }> };
    const names = parsed.mcp_servers.runos!.env_vars!;
    assert.deepEqual(names.slice(0, 2), ["HTTPS_PROXY", "RUNOS_PROFILE"], "the user's names stay, in their order");
    for (const name of ["RUNOS_API_KEY", "RUNOS_ACCOUNT_ID", "RUNOS_CONFIG_DIR", "XDG_CONFIG_HOME"]) assert.ok(names.includes(name), name);
    assert.equal(names.filter((name) => name === "RUNOS_PROFILE").length, 1, "no name twice");
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

  it("--remove takes out runos tables it wrote, with an inline env and the user's sub-tables", () => {
    const mine = 'model = "o3"\n\n[mcp_servers.github]\ncommand = "gh"\n';
    const configured = updateCodexServers("/c.toml", mine, servers, false)!;
    const inline = configured.replace('default_tools_approval_mode = "approve"\n', 'default_tools_approval_mode = "approve"\nenv = { A = "1" }\n');
    assert.equal(updateCodexServers("/c.toml", inline, servers, true), mine);
    const withSubTables = configured.concat('\n[mcp_servers.runos.env]\nB = "2"\n\n[mcp_servers.runos-write.tools.x]\napproval_mode = "approve"\n');
    assert.equal(updateCodexServers("/c.toml", withSubTables, servers, true), mine);
    assert.ok(parse(inline) && parse(withSubTables), "the edited files themselves are valid");
    const only = updateCodexServers("/c.toml", "", servers, false)!;
    assert.equal(updateCodexServers("/c.toml", only, servers, true), "", "removing everything runos wrote leaves an empty file");
  });

  it("configuring again keeps the user's [mcp_servers.runos.env] right after its table", () => {
    const text = '[mcp_servers.runos]\ncommand = "/old"\n\n[mcp_servers.runos.env]\nA = "1"\n\n[other]\nx = 1\n';
    const next = updateCodexServers("/c.toml", text, servers, false)!;
    const headers = next.split("\n").filter((line) => line.startsWith("["));
    assert.deepEqual(headers, ["[mcp_servers.runos]", "[mcp_servers.runos.env]", "[mcp_servers.runos-write]", "[other]"]);
    const parsed = parse(next) as { mcp_servers: Record<string, { env?: { A: string } }> };
    assert.deepEqual({ ...parsed.mcp_servers.runos!.env }, { A: "1" });
    assert.equal(updateCodexServers("/c.toml", next, servers, false), next, "and a second run changes nothing");
    // A server known only by its sub-table gets its table right before it.
    const subOnly = updateCodexServers("/c.toml", '[mcp_servers.runos.env]\nA = "1"\n', servers, false)!;
    assert.ok(subOnly.startsWith('[mcp_servers.runos]\ncommand = "/opt/runos/bin/runos"\n'), subOnly);
    assert.ok(subOnly.includes('\n\n[mcp_servers.runos.env]\nA = "1"\n\n[mcp_servers.runos-write]\n'), subOnly);
  });

  it("refuses valid TOML of a shape it cannot patch, saying what to change, instead of calling it invalid", () => {
    const cases: [string, RegExp][] = [
      ['mcp_servers = "x"\n', /"mcp_servers" should be a table of servers.*it is a string/],
      ["mcp_servers = []\n", /"mcp_servers" should be a table of servers.*it is an array/],
      ['mcp_servers.runos.command = "old"\n', /"mcp_servers\.runos" is defined with dotted keys or as an inline table/],
      ['[mcp_servers]\nrunos = "oops"\n', /"mcp_servers\.runos" should be a table, but it is a string/],
      ['mcp_servers = { github = { command = "gh" } }\n', /"mcp_servers" is an inline table/],
    ];
    for (const [text, message] of cases) {
      assert.throws(() => updateCodexServers("/c.toml", text, servers, false), (error: unknown) => {
        assert.ok(error instanceof ConfigFileError, `${text}: ${error}`);
        assert.equal(error.path, "/c.toml");
        assert.match(error.message, message);
        assert.match(error.message, /left unchanged/);
        assert.doesNotMatch(error.message, /not valid TOML|internal|readonly/);
        assert.ok((error.hint ?? "").length > 0);
        return true;
      }, text);
    }
    // Dotted keys for other servers are fine: runos's tables are added next to them.
    const dotted = updateCodexServers("/c.toml", 'mcp_servers.github.command = "gh"\n', servers, false)!;
    assert.equal((parse(dotted) as { mcp_servers: { github: { command: string } } }).mcp_servers.github.command, "gh");
  });

  it("a remove it cannot do says how to take the entries out by hand, not how to add tables", () => {
    assert.throws(() => updateCodexServers("/c.toml", 'mcp_servers.runos.command = "old"\n', servers, true), (error: unknown) => {
      assert.ok(error instanceof ConfigFileError);
      assert.match(error.hint ?? "", /take the "mcp_servers\.runos" entries out of \/c\.toml by hand/);
      assert.doesNotMatch(error.hint ?? "", /add these tables/);
      return true;
    });
    assert.equal(updateCodexServers("/c.toml", 'mcp_servers = "x"\n', servers, true), 'mcp_servers = "x"\n', "nothing to remove");
  });
});
