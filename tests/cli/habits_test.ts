/**
 * What gh, kubectl and flyctl users type first: bare `runos` for help, `runos version`, a group named
 * alone (`runos profiles`), a typo after `help`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { main } from "../../src/cli/main.ts";
import { VERSION, VERSION_LINE } from "../../src/version.ts";
import { isolateRunosEnv } from "../_harness/cli.ts";

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
});
