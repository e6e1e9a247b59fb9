import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigFileError } from "../../src/errors.ts";
import { JsonDocument } from "../../src/configure/json_file.ts";
import {
  coversServer,
  decide,
  type OpencodeAction,
  permissionRules,
  reachesServer,
  updateOpencodePermission,
  wildcardMatch,
} from "../../src/configure/opencode_permission.ts";
import { serverEntries } from "../../src/configure/servers.ts";
import type { ConfigureInput } from "../../src/configure/writer.ts";
import { TIERS } from "../../src/policy/tier.ts";
import type { Tier } from "../../src/policy/tier.ts";

const PATH = "/p/opencode.json";

function input(options: { remove?: boolean; tiers?: readonly Tier[] } = {}): ConfigureInput {
  const tiers = options.tiers ?? TIERS;
  return {
    servers: serverEntries({ command: "/bin/runos", args: [] }, tiers),
    tiers,
    operations: [],
    scope: "project",
    projectDir: "/p",
    env: { home: "/h", platform: "linux" },
    remove: options.remove ?? false,
    trust: false,
  };
}

/** The `permission` value after runos's update of a file holding `permission` (undefined: no such key). */
function after(permission: unknown, options: { remove?: boolean; tiers?: readonly Tier[] } = {}): unknown {
  const doc = JsonDocument.open(permission === undefined ? "{}\n" : JSON.stringify({ permission }, null, 2), { path: PATH, comments: true });
  updateOpencodePermission(doc, input(options));
  return (JSON.parse(doc.text()) as { permission?: unknown }).permission;
}

/** What opencode decides for each of these tools under `permission`, as a table. */
function decisions(permission: unknown, tools: readonly string[]): Record<string, OpencodeAction> {
  const rules = permissionRules(permission);
  return Object.fromEntries(tools.map((tool) => [tool, decide(rules, tool)]));
}

const PROBES = [
  "runos_clusters_list",
  "runos-sensitive-read_services_postgresql_connection-string",
  "runos-write_services_valkey_add",
  "runos-write_services_valkey_delete",
  "runos-sensitive-write_services_postgresql_rotate-credentials",
  "bash",
];

describe("opencode permission rules: what opencode decides (its docs: last matching rule wins, * and ? wildcards)", () => {
  it("matches names as opencode's wildcards do", () => {
    const cases: [string, string, boolean][] = [
      ["runos-write_services_valkey_add", "runos-write_*", true],
      ["runos_clusters_list", "runos-write_*", false],
      ["runos_clusters_list", "runos_*", true],
      ["runos-write_services_valkey_add", "runos_*", false],
      ["runos-write_x", "runos-?rite_*", true],
      ["runos-write_x", "runos-write_x", true],
      ["runos-write_x", "runos-write_", false],
      ["a.b", "a?b", true],
      ["axb", "a.b", false],
      ["bash", "*", true],
    ];
    for (const [name, pattern, expected] of cases) assert.equal(wildcardMatch(name, pattern), expected, `${name} ~ ${pattern}`);
  });

  it("without any rule every tool runs: that is what today's opencode does with an MCP tool", () => {
    assert.deepEqual(decisions(undefined, ["runos-write_services_valkey_add"]), { "runos-write_services_valkey_add": "allow" });
  });

  it("the last matching member wins, in the object's order; a string is one rule for everything", () => {
    assert.deepEqual(decisions({ "*": "ask", "runos-write_*": "allow" }, ["runos-write_a", "bash"]), { "runos-write_a": "allow", bash: "ask" });
    assert.deepEqual(decisions({ "runos-write_*": "allow", "*": "ask" }, ["runos-write_a"]), { "runos-write_a": "ask" });
    assert.deepEqual(decisions("deny", ["runos_a", "bash"]), { runos_a: "deny", bash: "deny" });
    assert.deepEqual(decisions({ bash: { "*": "ask", "git *": "allow" } }, ["bash"]), { bash: "ask" });
  });

  it("tells a rule that takes every tool of a server from one that takes some", () => {
    const cases: [string, boolean, boolean][] = [
      // pattern, covers runos-write, reaches runos-write
      ["*", true, true],
      ["runos-*", true, true],
      ["runos-write_*", true, true],
      ["runos-w*", true, true],
      ["runos-write*", true, true],
      ["*_*", true, true],
      ["runos-write_services_*", false, true],
      ["runos-write_services_valkey_delete", false, true],
      ["runos-write_?*", false, true],
      ["runos_*", false, false],
      ["runos-sensitive-write_*", false, false],
      ["bash", false, false],
    ];
    for (const [pattern, covers, reaches] of cases) {
      assert.equal(coversServer(pattern, "runos-write"), covers, `${pattern} covers runos-write`);
      assert.equal(reachesServer(pattern, "runos-write"), reaches, `${pattern} reaches runos-write`);
    }
  });
});

describe("opencode permission rules: what runos writes", () => {
  it("a file without rules gets one ask rule per server but the read one", () => {
    assert.deepEqual(after(undefined), { "runos-sensitive-read_*": "ask", "runos-write_*": "ask", "runos-sensitive-write_*": "ask" });
    assert.deepEqual(decisions(after(undefined), PROBES), {
      runos_clusters_list: "allow",
      "runos-sensitive-read_services_postgresql_connection-string": "ask",
      "runos-write_services_valkey_add": "ask",
      "runos-write_services_valkey_delete": "ask",
      "runos-sensitive-write_services_postgresql_rotate-credentials": "ask",
      bash: "allow",
    });
  });

  it("only the selected servers get a rule; the read server alone needs none", () => {
    assert.deepEqual(after(undefined, { tiers: ["read", "write"] }), { "runos-write_*": "ask" });
    assert.equal(after(undefined, { tiers: ["read"] }), undefined);
  });

  it("\"permission\": \"allow\" becomes the same rule for everything, then runos's rules", () => {
    const permission = after("allow");
    assert.deepEqual(permission, { "*": "allow", "runos-sensitive-read_*": "ask", "runos-write_*": "ask", "runos-sensitive-write_*": "ask" });
    assert.deepEqual(decisions(permission, ["bash", "runos_a", "runos-write_a"]), { bash: "allow", runos_a: "allow", "runos-write_a": "ask" });
  });

  it("\"ask\" or \"deny\" for everything is already at least as strict: left as it is", () => {
    assert.equal(after("ask"), "ask");
    assert.equal(after("deny"), "deny");
  });

  it("a broad allow of the user's placed last no longer wins over the servers' ask", () => {
    const permission = after({ bash: "ask", "*": "allow" });
    assert.deepEqual(decisions(permission, PROBES), {
      runos_clusters_list: "allow",
      "runos-sensitive-read_services_postgresql_connection-string": "ask",
      "runos-write_services_valkey_add": "ask",
      "runos-write_services_valkey_delete": "ask",
      "runos-sensitive-write_services_postgresql_rotate-credentials": "ask",
      bash: "allow",
    });
  });

  it("never loosens a rule of the user's: a deny stays deny, a later specific deny still decides its tool", () => {
    const before = { "runos-write_*": "deny", "*": "allow", "runos-sensitive-write_services_postgresql_rotate-credentials": "deny" };
    assert.deepEqual(decisions(after(before), PROBES), {
      runos_clusters_list: "allow",
      "runos-sensitive-read_services_postgresql_connection-string": "ask",
      "runos-write_services_valkey_add": "deny",
      "runos-write_services_valkey_delete": "deny",
      "runos-sensitive-write_services_postgresql_rotate-credentials": "deny",
      bash: "allow",
    });
  });

  it("reads a member in object form as opencode does: a `*` pattern that denies stays, one that allows is beaten", () => {
    const denied = after({ "runos-write_*": { "*": "deny" } });
    assert.deepEqual((denied as Record<string, unknown>)["runos-write_*"], { "*": "deny" });
    assert.deepEqual(decisions(denied, ["runos-write_services_valkey_add"]), { "runos-write_services_valkey_add": "deny" });
    const allowed = after({ "runos-*": { "*": "allow" } });
    assert.deepEqual(decisions(allowed, PROBES.slice(1, 5)), Object.fromEntries(PROBES.slice(1, 5).map((tool) => [tool, "ask"])));
  });

  it("a rule of the user's naming one tool still decides that tool (doctor points it out)", () => {
    const permission = after({ "runos-write_services_valkey_add": "allow" });
    assert.deepEqual(decisions(permission, ["runos-write_services_valkey_add", "runos-write_services_valkey_delete"]), {
      "runos-write_services_valkey_add": "allow",
      "runos-write_services_valkey_delete": "ask",
    });
  });

  it("never loosens anything, and leaves no tool of the three servers running unasked but one the user allowed by name (every mix of rules)", () => {
    const keys = ["*", "runos-*", "runos-write_*", "runos-write_services_valkey_delete", "runos-sensitive-read_*", "runos_*", "bash"];
    const actions: OpencodeAction[] = ["allow", "ask", "deny"];
    const strictness = { allow: 0, ask: 1, deny: 2 } as const;
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let trial = 0; trial < 400; trial++) {
      const before: Record<string, OpencodeAction> = {};
      for (let i = 0, n = random(5); i < n; i++) before[keys[random(keys.length)]!] = actions[random(3)]!;
      const was = decisions(before, PROBES);
      const now = decisions(after(before), PROBES);
      for (const tool of PROBES) {
        assert.ok(strictness[now[tool]!] >= strictness[was[tool]!], `${JSON.stringify(before)}: ${tool} went from ${was[tool]} to ${now[tool]}`);
        const ours = !tool.startsWith("runos_") && tool !== "bash";
        if (!ours) assert.equal(now[tool], was[tool], `${JSON.stringify(before)}: ${tool} is not runos's to change`);
        else if (before[tool] !== "allow") assert.notEqual(now[tool], "allow", `${JSON.stringify(before)}: ${tool} runs unasked`);
      }
      assert.deepEqual(after(after(before)), after(before), "a second run changes nothing");
    }
  });

  it("--remove takes out only the rules runos wrote, and an emptied permission object", () => {
    assert.equal(after({ "runos-sensitive-read_*": "ask", "runos-write_*": "ask", "runos-sensitive-write_*": "ask" }, { remove: true }), undefined);
    assert.deepEqual(after({ bash: "ask", "runos-write_*": "deny", "runos-sensitive-write_*": "ask" }, { remove: true }), { bash: "ask", "runos-write_*": "deny" });
    assert.deepEqual(after({ "runos-write_*": "ask" }, { remove: true, tiers: ["sensitive-write"] }), { "runos-write_*": "ask" });
    assert.equal(after("allow", { remove: true }), "allow");
  });

  it("a permission value opencode would not accept is refused, naming the file and the fix", () => {
    for (const bad of [42, ["runos-write_*"], "sometimes"]) {
      assert.throws(() => after(bad), (error: unknown) => {
        assert.ok(error instanceof ConfigFileError);
        assert.match(error.message, /opencode\.json: "permission" should be/);
        assert.match(error.hint ?? "", /left unchanged/);
        return true;
      });
    }
  });
});
