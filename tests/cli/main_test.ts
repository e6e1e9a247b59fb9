import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { commandWord, main } from "../../src/cli/main.ts";
import { VERSION, VERSION_LINE } from "../../src/version.ts";
import { isolateRunosEnv } from "../_harness/cli.ts";

/** Run the CLI in-process and capture what it printed. */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
  return { code, stdout, stderr };
}

describe("runos command line", () => {
  isolateRunosEnv("runos-cli-");

  it("prints the version with its commit and build date (run from source: unknown)", async () => {
    const result = await run("--version");
    assert.equal(result.code, 0);
    assert.equal(result.stdout.trim(), VERSION_LINE);
    assert.ok(VERSION_LINE.startsWith(`runos ${VERSION} (commit `));
  });

  it("treats an unknown command as a usage error and suggests the nearest one", async () => {
    const result = await run("clustrs", "list");
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown command 'clustrs'/);
    assert.match(result.stderr, /Did you mean clusters\?/);
  });

  it("reports commander's usage errors as a JSON envelope on stdout under --json", async () => {
    const result = await run("--json", "clustrs");
    assert.equal(result.code, 2);
    assert.equal(result.stderr, "");
    const envelope = JSON.parse(result.stdout);
    assert.equal(envelope.type, "UsageError");
    assert.match(envelope.error, /unknown command 'clustrs'/);
  });

  it("keeps stdout empty for a failing `mcp serve` even under --json: stdout is the JSON-RPC channel", async () => {
    const result = await run("--json", "mcp", "serve", "admin");
    assert.equal(result.code, 2);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /unknown tier "admin"/);
  });

  it("takes --max-concurrent only with --http, and only as a whole number of at least 1 (exit 2, stdout empty)", async () => {
    const stray = await run("mcp", "serve", "read", "--max-concurrent", "8");
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /--max-concurrent only apply with --http/);
    for (const value of ["0", "-3", "1.5", "many"]) {
      const result = await run("mcp", "serve", "read", "--http", "127.0.0.1:0", `--max-concurrent=${value}`);
      assert.equal(result.code, 2, value);
      assert.equal(result.stdout, "");
      assert.match(result.stderr, new RegExp(`--max-concurrent must be a whole number of at least 1; got "${value}"`));
    }
  });

  it("finds the command word past the values of global options", () => {
    assert.equal(commandWord(["--profile", "work", "--log-level", "debug", "mcp", "serve", "read"]), "mcp");
    assert.equal(commandWord(["--profile=work", "clusters", "list"]), "clusters");
    assert.equal(commandWord(["--json"]), undefined);
  });

  it("fails with a usage error when a group is run without a subcommand", async () => {
    const result = await run("manifest");
    assert.equal(result.code, 2);
    assert.match(result.stderr, /update/);
  });

  it("shows help for catalog verbs, with their flags and endpoint", async () => {
    const result = await run("services", "valkey", "add", "--help");
    assert.equal(result.code, 0);
    assert.match(result.stdout, /--replicas <value>/);
    assert.match(result.stdout, /--cid <cid>/);
    assert.match(result.stdout, /--follow/);
    assert.match(result.stdout, /POST \/:aid\/:cid\/services\/valkey/);
  });

  it("runs a catalog verb against the in-process sandbox and prints JSON", async () => {
    const result = await run("--sandbox", "--json", "clusters", "list");
    assert.equal(result.code, 0, result.stderr);
    const clusters = JSON.parse(result.stdout);
    const ids = (Array.isArray(clusters) ? clusters : clusters.clusters).map((cluster: { id: string }) => cluster.id);
    assert.ok(ids.includes("i4y"));
  });

  it("turns a positional placeholder into an argument and prints an object", async () => {
    const result = await run("--sandbox", "-o", "table", "clusters", "show", "i4y");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^id:\s+i4y$/m);
    assert.match(result.stdout, /production/);
  });

  it("refuses a destructive verb without --yes when there is no terminal", async () => {
    const result = await run("--sandbox", "services", "valkey", "delete", "cache", "--cid", "i4y");
    assert.equal(result.code, 1);
    assert.match(result.stderr, /refusing to run destructive `runos services valkey delete cache`/);
    assert.match(result.stderr, /--yes/);
  });

  it("rejects a flag value of the wrong type as a usage error", async () => {
    const result = await run("--sandbox", "services", "valkey", "add", "--cid", "i4y", "--name", "x1", "--replicas", "two");
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--replicas must be an integer between 1 and 5; got "two"/);
    assert.match(result.stderr, /hint: see `runos services valkey add --help`/);
  });

  it("lists every missing argument at once, spelled as flags", async () => {
    const result = await run("--sandbox", "services", "postgresql", "create-database", "users-db", "--cid", "i4y");
    assert.equal(result.code, 2);
    assert.match(result.stderr, /missing required argument.*--name/);
  });

  it("asks for a cluster when a cluster-scoped verb has none", async () => {
    const result = await run("--sandbox", "services", "list");
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cluster ID required/);
  });

  it("maps an API 404 to exit 1 with a JSON envelope under --json", async () => {
    const result = await run("--sandbox", "--json", "services", "valkey", "show", "nope", "--cid", "i4y");
    assert.equal(result.code, 1);
    const envelope = JSON.parse(result.stdout);
    assert.equal(envelope.type, "NotFoundError");
    assert.match(envelope.error, /nope/);
  });

  it("says how to sign in when no credentials exist, naming `runos login` once", async () => {
    const result = await run("clusters", "list");
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: not authenticated: no stored login, and RUNOS_API_KEY is not set\nhint: run `runos login`/);
    assert.equal(result.stderr.split("runos login`").length - 1, 1, result.stderr);
  });

  it("follows an existing job with `runos follow`, failing when the job failed", async () => {
    const done = await run("--sandbox", "--json", "follow", "0b7f4d2e-5c1a-4f0e-9a51-3f2b8c6d1e90");
    assert.equal(done.code, 0, done.stderr);
    assert.equal(JSON.parse(done.stdout).status, "completed");
    const failed = await run("--sandbox", "follow", "6e2a9c41-8d3b-4b7e-a0f2-1c5d7e9f3a28");
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /job 6e2a9c41-8d3b-4b7e-a0f2-1c5d7e9f3a28 failed: build failed/);
    const malformed = await run("--sandbox", "follow", "not-a-job");
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /not a job id/);
  });

  it("follows a job to completion with --follow, progress on stderr", async () => {
    const result = await run("--sandbox", "--json", "services", "valkey", "add", "--cid", "i4y", "--name", "session-store", "--replicas", "2", "--follow");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).status, "completed");
    assert.match(result.stderr, /job [0-9a-f-]{36}: (queued|running)/);
  });
});

describe("catalog verbs and the global options", () => {
  it("`--version` after a command word is the catalog field's, so `services valkey add --version 7.2` creates 7.2", async () => {
    const result = await run("--sandbox", "--json", "services", "valkey", "add", "--name", "x2", "--version", "7.2", "--cid", "i4y", "--replicas", "2");
    assert.equal(result.code, 0, result.stderr);
    const created = JSON.parse(result.stdout);
    assert.equal(created.name, "x2");
    assert.match(created.jobId, /^[0-9a-f-]{36}$/);
  });

  it("`-V` and `--version` before any command word still print the version", async () => {
    for (const flag of ["-V", "--version"]) {
      const result = await run(flag);
      assert.equal(result.code, 0);
      assert.match(result.stdout, new RegExp(VERSION.replace(/\./g, "\\.")));
    }
  });
});
