/**
 * What gh, kubectl and flyctl users expect: bare `runos` for help, `runos version`, a group named
 * alone (`runos profiles`), a typo after `help` answered, the cluster named before a destructive act,
 * limits in help and rules in words, examples in every group's help.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { Command } from "@commander-js/extra-typings";
import type { Command as PlainCommand } from "commander";
import { main } from "../../src/cli/main.ts";
import { examplesFor, resolveExample, runosWords } from "../../src/cli/examples.ts";
import { addGlobalOptions } from "../../src/cli/global_options.ts";
import { addVerbs, inputLabel } from "../../src/cli/verbs.ts";
import { cliError } from "../../src/cli/wording.ts";
import { buildOperations } from "../../src/catalog/operation.ts";
import { baselineCatalog } from "../../src/catalog/load.ts";
import { ValidationError } from "../../src/errors.ts";
import { VERSION, VERSION_LINE } from "../../src/version.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/demo.ts";
import { captureCli, isolateRunosEnv } from "../_harness/cli.ts";
import { loadCatalogFixture } from "../_harness/catalogs.ts";
import { startFakeApi } from "../_harness/fake_api.ts";
import { markCatalogChecked } from "../_harness/mcp_client.ts";
import { fastClock } from "../_harness/sample_args.ts";

/** Run the CLI in-process and capture what it printed. */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
  return { code, stdout, stderr };
}

describe("habits of gh, kubectl and flyctl users", () => {
  isolateRunosEnv("runos-habits-", ["NO_COLOR"]);

  it("bare `runos` prints the root help on stdout and exits 0, as `runos --help` does", async () => {
    const bare = await run();
    assert.equal(bare.code, 0, bare.stderr);
    assert.equal(bare.stderr, "");
    assert.equal(bare.stdout, (await run("--help")).stdout);
    assert.match(bare.stdout, /^Usage: runos /);
    assert.match(bare.stdout, /RunOS resources \(from the command catalog\):/);
    const globalsOnly = await run("--no-color");
    assert.equal(globalsOnly.code, 0);
    assert.equal(globalsOnly.stdout, bare.stdout);
    const unknown = await run("--bogus");
    assert.equal(unknown.code, 2, "an unknown option is still a usage error");
    assert.match(unknown.stderr, /unknown option '--bogus'/);
  });

  it("`runos version` prints what `runos --version` prints; --json gives the fields", async () => {
    const word = await run("version");
    assert.equal(word.code, 0, word.stderr);
    assert.equal(word.stdout, (await run("--version")).stdout);
    assert.equal(word.stdout.trim(), VERSION_LINE);
    const json = await run("--json", "version");
    assert.equal(json.code, 0);
    assert.deepEqual(JSON.parse(json.stdout), { version: VERSION, commit: null, buildDate: null });
  });

  it("`runos profiles` alone lists, as `runos profiles list` does; a mistyped subcommand is suggested", async () => {
    const alone = await run("--json", "profiles");
    assert.equal(alone.code, 0, alone.stderr);
    assert.deepEqual(JSON.parse(alone.stdout), []);
    assert.equal((await run("profiles")).stdout, (await run("profiles", "list")).stdout);
    const typo = await run("profiles", "lsit");
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown command "lsit" under `runos profiles`/);
    assert.match(typo.stderr, /did you mean `list`\?/);
  });

  it("`runos help clustrs` suggests the closest command, at any depth, as `runos clustrs` does", async () => {
    const root = await run("help", "clustrs");
    assert.equal(root.code, 2);
    assert.match(root.stderr, /unknown command "clustrs"/);
    assert.match(root.stderr, /did you mean `clusters`\?/);
    const deep = await run("help", "services", "valky", "add");
    assert.equal(deep.code, 2);
    assert.match(deep.stderr, /unknown command "valky" under `runos services`.*\n.*did you mean `valkey`\?/);
    const far = await run("help", "services", "zzzzzz");
    assert.match(far.stderr, /one of: types, list, postgresql, valkey, minio/, "nothing close: every choice");
  });

  it("a destructive verb refused off a terminal says which cluster it would have hit", async () => {
    const result = await run("--sandbox", "services", "valkey", "delete", "cache", "--cid", "production");
    assert.equal(result.code, 1);
    assert.match(result.stderr, /refusing to run destructive `runos services valkey delete cache` on cluster production without confirmation/);
  });

  it("a verb's help says each field's limits from the catalog's schema: enum, bounds, pattern, default", async () => {
    const help = (await run("help", "services", "valkey", "add")).stdout.replace(/\s+/g, " ");
    assert.match(help, /--replicas <value> Number of Valkey replicas\. \(1–5; default: 1\)/);
    assert.match(help, /--max-memory-mb <value> Memory limit per replica in MiB; keys are evicted past it\. \(64–65536; default: 256\)/);
    assert.match(help, /--version <value> Valkey \(Redis-compatible\) cache version\. \(one of: 8\.0, 7\.2; default: 8\.0\)/);
    assert.match(help, /--name <value> Name of the new cache\. \(2–39 lower-case letters, digits and hyphens, starting with a lower-case letter; required\)/);
    assert.doesNotMatch(help, /\^\[/, "no regular expression in the help");
  });

  it("a bad value's error says the rule in words, never the catalog's regular expression", async () => {
    const result = await run("--sandbox", "services", "valkey", "add", "--cid", "i4y", "--name", "Bad Name", "--replicas", "9");
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--name must be 2–39 lower-case letters, digits and hyphens, starting with a lower-case letter; got "Bad Name"/);
    assert.match(result.stderr, /--replicas must be an integer between 1 and 5; got "9"/);
    const sha = await run("--sandbox", "apps", "deploy", "web", "--cid", "i4y", "--sha", "HEAD");
    assert.match(sha.stderr, /--sha must be 7–40 hexadecimal digits \(0–9, a–f\); got "HEAD"/);
    const expiry = await run("--sandbox", "account", "api-keys", "add", "--name", "ci", "--expires-at", "tomorrow");
    assert.match(expiry.stderr, /--expires-at must be a value like 2026-01-31T00:00:00Z; got "tomorrow"/);
    for (const text of [result.stderr, sha.stderr, expiry.stderr]) assert.doesNotMatch(text, /\^|\$;|\\d|\{\d/, text);
  });

  it("an API's \"must match <regex>\" for a field is said in words too", () => {
    const operations = buildOperations(baselineCatalog());
    const valkeyAdd = operations.find((operation) => operation.command === "services/valkey/add")!;
    const error = new ValidationError("invalid input: bad fields: name: must match ^[a-z][a-z0-9-]{1,38}$", {
      details: { fields: [{ name: "name", message: "must match ^[a-z][a-z0-9-]{1,38}$" }] },
    });
    const worded = cliError(error, valkeyAdd, inputLabel(valkeyAdd), operations) as ValidationError;
    assert.equal(worded.message, "invalid input: bad fields: --name must be 2–39 lower-case letters, digits and hyphens, starting with a lower-case letter");
  });

  describe("examples in help", () => {
    const operations = buildOperations(baselineCatalog());
    /** Every command group: the compiled-in ones, and each prefix of a catalog verb's path. */
    const groups = [
      ["profiles"], ["config"], ["manifest"], ["mcp"],
      ...new Set(operations.flatMap((operation) => operation.verbPath.slice(0, -1).map((_, end) => operation.verbPath.slice(0, end + 1).join(" ")))),
    ].map((group) => (typeof group === "string" ? group.split(" ") : group));
    /** The usage examples of RunOS's MCP page, copied from it by hand. */
    const seedRequests = [
      "What services are running in my production cluster?",
      "Give me the PostgreSQL connection string for the users-db service",
      "Create a new Valkey cache called session-store with 2 replicas",
      "Show me the status of all nodes in cluster i4y",
      "Show me a database view of all users and the count of their posts",
      "Create a new bucket in my object store that can be accessed by the public",
      "Create a new database and user on my PostgreSQL instance",
    ];

    /** The examples section of a help text: each `# note` and the line under it. */
    const examplesIn = (help: string) => [...help.matchAll(/^ {2}# (.*)\n {2}(runos .*|.*\| runos .*)$/gm)].map((match) => ({ note: match[1]!, line: match[2]! }));

    it("every command group's help ends with examples, the root's too", async () => {
      assert.ok(groups.length > 15, groups.map((group) => group.join(" ")).join(", "));
      for (const group of [[], ...groups]) {
        const help = await run("help", ...group);
        assert.equal(help.code, 0, `runos help ${group.join(" ")}: ${help.stderr}`);
        assert.ok(examplesIn(help.stdout).length > 0, `no examples in \`runos help ${group.join(" ")}\``);
      }
    });

    it("every usage example of RunOS's MCP page is in the help as the command that does it, and a verb's help shows it too", async () => {
      const pages = await Promise.all([[], ...groups].map(async (group) => examplesIn((await run("help", ...group)).stdout)));
      for (const request of seedRequests) {
        const found = pages.flat().find((example) => example.note === `"${request}"`);
        assert.ok(found !== undefined, `no example for "${request}"`);
        // The command the line runs: its words for as long as `runos help` knows them.
        const verb: string[] = [];
        for (const word of found.line.split(" ").slice(1)) {
          if ((await run("help", ...verb, word)).code !== 0) break;
          verb.push(word);
        }
        const leaf = await run("help", ...verb);
        assert.equal(leaf.code, 0, `runos help ${verb.join(" ")}`);
        assert.ok(examplesIn(leaf.stdout).some((example) => example.line === found.line), `\`runos help ${verb.join(" ")}\` lacks ${found.line}`);
      }
    });

    it("with RunOS's full-scale catalog, a group no example covers gets examples made from its own verbs", () => {
      const program = addGlobalOptions(new Command("runos"));
      addVerbs(program, captureCli().context, buildOperations(loadCatalogFixture("runos_full")));
      const root = program as unknown as PlainCommand;
      const visit = (command: PlainCommand, path: string[]): number => {
        if (command.commands.length === 0) return 0;
        const examples = examplesFor(root, command, path);
        assert.ok(examples.length > 0, `no examples for runos ${path.join(" ")}`);
        for (const example of examples) assert.equal(resolveExample(root, example.line).unknownFlags.length, 0, example.line);
        return 1 + command.commands.reduce((sum, sub) => sum + visit(sub, [...path, sub.name()]), 0);
      };
      assert.ok(root.commands.reduce((sum, sub) => sum + visit(sub, [sub.name()]), 0) > 20);
    });

    it("every example of a catalog group runs as written against the fake RunOS API, in order", { timeout: 120_000 }, async () => {
      const api = await startFakeApi({ clock: fastClock() });
      const saved = { ...process.env };
      Object.assign(process.env, { RUNOS_API_URL: api.url, RUNOS_API_KEY: DEMO_TOKEN, RUNOS_ACCOUNT_ID: DEMO_ACCOUNT_ID });
      await markCatalogChecked(process.env.RUNOS_CONFIG_DIR!);
      try {
        const catalogGroups = new Set(operations.map((operation) => operation.verbPath[0]!));
        const seen = new Set<string>();
        let ran = 0;
        for (const group of groups.filter((group) => catalogGroups.has(group[0]!))) {
          for (const example of examplesIn((await run("help", ...group)).stdout)) {
            if (!example.line.startsWith("runos ") || seen.has(example.line)) continue;
            seen.add(example.line);
            const result = await run(...runosWords(example.line));
            assert.equal(result.code, 0, `${example.line}\n${result.stderr}`);
            ran++;
          }
        }
        assert.ok(ran >= 20, `only ${ran} examples ran`);
      } finally {
        for (const name of ["RUNOS_API_URL", "RUNOS_API_KEY", "RUNOS_ACCOUNT_ID"]) {
          if (saved[name] === undefined) delete process.env[name];
          else process.env[name] = saved[name];
        }
        await api.close();
      }
    });
  });
});
