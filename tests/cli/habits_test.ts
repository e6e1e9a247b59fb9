/**
 * What gh, kubectl and flyctl users type first: bare `runos` for help, `runos version`, a group named
 * alone (`runos profiles`), a typo after `help`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { main } from "../../src/cli/main.ts";
import { VERSION, VERSION_LINE } from "../../src/version.ts";
import { isolateRunosEnv } from "../_harness/cli.ts";
import { buildOperations } from "../../src/catalog/operation.ts";
import { baselineCatalog } from "../../src/catalog/load.ts";
import { ValidationError } from "../../src/errors.ts";
import { cliError } from "../../src/cli/wording.ts";
import { inputLabel } from "../../src/cli/verbs.ts";

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
});
