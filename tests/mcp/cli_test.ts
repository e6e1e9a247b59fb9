import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { registerMcpCommands } from "../../src/cli/commands/mcp.ts";
import { RunosError, UsageError } from "../../src/errors.ts";
import { captureCli } from "../_harness/cli.ts";

/** Run `runos --sandbox mcp …` in-process; stdout is returned, errors propagate. */
async function runMcp(args: string[], json = false): Promise<string> {
  const cli = captureCli({ json, sandbox: true, logLevel: "silent" });
  registerMcpCommands(cli.program, cli.context);
  await cli.run(["mcp", ...args]);
  return cli.out.map((text) => `${text}\n`).join("");
}

describe("runos mcp tools|call", () => {
  it("`mcp tools read` prints a table of names, hints and descriptions", async () => {
    const out = await runMcp(["tools", "read"]);
    assert.match(out, /^NAME\s+HINTS\s+DESCRIPTION/);
    assert.match(out, /clusters_list\s+read-only,idempotent\s+The account's clusters/);
  });

  it("`mcp call` runs a tool through the server's call path and prints its text", async () => {
    const out = await runMcp(["call", "read", "clusters_list"]);
    assert.match(out, /^<untrusted-data-[0-9a-f-]{36}>\n\[\{"id":"i4y",/);
  });

  it("`mcp call` fails (exit 1) with the tool's error text when the result is an error", async () => {
    await assert.rejects(
      runMcp(["call", "read", "services_valkey_add", "--args", '{"name": "session-store", "cid": "i4y"}']),
      (error: unknown) => error instanceof RunosError && error.exitCode === 1 && /enable `runos-write`/.test(error.message),
    );
  });

  it("`cid` takes a cluster's name, in any case, as well as its id", async () => {
    for (const cid of ["production", "Production", "i4y", "i4y (Production)"]) {
      const out = await runMcp(["call", "read", "nodes_list", "--args", JSON.stringify({ cid })]);
      assert.match(out, /"id":/, cid);
    }
    await assert.rejects(
      runMcp(["call", "read", "nodes_list", "--args", '{"cid": "nowhere"}']),
      (error: unknown) => error instanceof RunosError && /no cluster has the id or name "nowhere".*i4y \(production\)/.test(error.message),
    );
  });

  it("refuses an unknown tier and bad --args as usage errors", async () => {
    await assert.rejects(runMcp(["tools", "admin"]), (error: unknown) => error instanceof UsageError && /read, sensitive-read, write, sensitive-write/.test(error.hint ?? ""));
    await assert.rejects(runMcp(["call", "read", "clusters_list", "--args", "[1"]), UsageError);
    await assert.rejects(runMcp(["call", "read", "clusters_list", "--args", "[1]"]), UsageError);
  });
});
