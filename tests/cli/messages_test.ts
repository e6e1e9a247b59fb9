/**
 * What the CLI says fits the situation it says it about (issue 20, item 5): a refused RUNOS_API_KEY is
 * not told to set RUNOS_API_KEY, an unreachable `--api-url` is not blamed on RUNOS_API_URL, a person is
 * never sent to an MCP tool, a SQL error does not point at a list of arguments that is not there, and
 * `runos login` is advised once. Each ends with what to do next.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import process from "node:process";
import { main } from "../../src/cli/main.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/demo.ts";
import { isolateRunosEnv } from "../_harness/cli.ts";
import { startFakeApi } from "../_harness/fake_api.ts";

/** Run the CLI in-process and capture what it printed. */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
  return { code, stdout, stderr };
}

/** Run with these variables set, restoring the environment after. */
async function withEnv<T>(vars: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("messages that fit the situation", () => {
  isolateRunosEnv("runos-messages-", ["NO_COLOR"]);

  it("a refused RUNOS_API_KEY is named as refused, and the fix is to replace or unset it", async () => {
    const harness = await startFakeApi();
    try {
      const result = await withEnv({ RUNOS_API_URL: harness.url, RUNOS_API_KEY: "runos_pat_not_a_real_token_000000000000", RUNOS_ACCOUNT_ID: DEMO_ACCOUNT_ID }, () => run("clusters", "list"));
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^error: not authenticated: the RunOS API refused the key in RUNOS_API_KEY; the API said: /);
      assert.match(result.stderr, /\nhint: replace the key in RUNOS_API_KEY with a valid personal access token .*, or unset RUNOS_API_KEY/);
      assert.doesNotMatch(result.stderr, /or set RUNOS_API_KEY and RUNOS_ACCOUNT_ID/);
    } finally {
      await harness.close();
    }
  });

  it("an unreachable --api-url says what was tried and why, and names the flag, not RUNOS_API_URL", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const flag = await withEnv({ RUNOS_API_KEY: DEMO_TOKEN, RUNOS_ACCOUNT_ID: DEMO_ACCOUNT_ID }, () => run("--api-url", url, "clusters", "list"));
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, new RegExp(`^error: could not reach the RunOS API at ${url} \\(GET /acme/clusters\\): connection refused`));
    assert.match(flag.stderr, /\nhint: check the URL given with --api-url and your network connection\n$/);
    assert.doesNotMatch(flag.stderr, /RUNOS_API_URL|Is the computer able|fetch failed/);
    const variable = await withEnv({ RUNOS_API_URL: url, RUNOS_API_KEY: DEMO_TOKEN, RUNOS_ACCOUNT_ID: DEMO_ACCOUNT_ID }, () => run("clusters", "list"));
    assert.match(variable.stderr, /\nhint: check RUNOS_API_URL and your network connection\n$/);
  });

  it("without a login, `runos login` is the next step once, and the message says what is missing", async () => {
    const result = await run("whoami");
    assert.equal(result.code, 1);
    assert.equal(result.stderr.split("\n")[0], "error: not authenticated: no stored login, and RUNOS_API_KEY is not set");
    assert.equal(result.stderr.match(/`runos login`/g)?.length, 1, result.stderr);
  });

  it("a missing or unknown cluster sends a person to `runos clusters list`, never to an MCP tool", async () => {
    const missing = await run("--sandbox", "nodes", "list");
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /list them with `runos clusters list`, or set a default with `runos config set cid <cluster>`/);
    const unknown = await run("--sandbox", "nodes", "list", "--cid", "nope");
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /\nhint: pass a cluster id or name \(see `runos clusters list`\)\n$/);
    for (const result of [missing, unknown]) assert.doesNotMatch(result.stderr, /clusters_list|over MCP/);
  });

  it("a SQL syntax error asks to correct the statement, not to fix arguments that are not listed", async () => {
    const result = await run("--sandbox", "services", "postgresql", "exec-sql", "users-db", "--cid", "i4y", "--query", "selec 1");
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: invalid input: syntax error at or near "selec"\nhint: the database refused the SQL: correct the statement and retry\n$/);
  });

  it("a job started in the command's own sandbox is not promised to `runos follow`", async () => {
    const result = await run("--sandbox", "services", "valkey", "add", "--cid", "i4y", "--name", "own-cache");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Started job [0-9a-f-]{36} in this command's own sandbox, which stops with it \(pass --follow to wait for it\)/);
  });
});
