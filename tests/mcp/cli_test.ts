import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { registerMcpCommands } from "../../src/cli/commands/mcp.ts";
import type { CliContext } from "../../src/cli/context.ts";
import { RunosError, UsageError } from "../../src/errors.ts";

/** Run `runos --sandbox mcp …` in-process; stdout is returned, errors propagate. */
async function runMcp(args: string[], json = false): Promise<string> {
  let out = "";
  const context: CliContext = {
    globals: () => ({ json, color: false, sandbox: true, logLevel: "silent" }),
    stdout: (text) => void (out += `${text}\n`),
    stderr: () => {},
  };
  const program = new Command("runos").exitOverride();
  registerMcpCommands(program as unknown as Command, context);
  for (const sub of program.commands) {
    sub.exitOverride();
    for (const leaf of sub.commands) leaf.exitOverride();
  }
  await program.parseAsync(["mcp", ...args], { from: "user" });
  return out;
}

describe("runos mcp tools|call", () => {
  it("`mcp tools read` prints a table of names, hints and descriptions", async () => {
    const out = await runMcp(["tools", "read"]);
    assert.match(out, /^NAME\s+HINTS\s+DESCRIPTION/);
    assert.match(out, /clusters_list\s+read-only,idempotent\s+List the account's clusters/);
  });

  it("`mcp call` runs a tool through the server's call path and prints its text", async () => {
    const out = await runMcp(["call", "read", "clusters_list"]);
    assert.match(out, /"id": "i4y"/);
  });

  it("`mcp call` fails (exit 1) with the tool's error text when the result is an error", async () => {
    await assert.rejects(
      runMcp(["call", "read", "services_valkey_add", "--args", '{"name": "session-store", "cid": "i4y"}']),
      (error: unknown) => error instanceof RunosError && error.exitCode === 1 && /enable `runos-write`/.test(error.message),
    );
  });

  it("refuses an unknown tier and bad --args as usage errors", async () => {
    await assert.rejects(runMcp(["tools", "admin"]), (error: unknown) => error instanceof UsageError && /read, sensitive-read, write, sensitive-write/.test(error.hint ?? ""));
    await assert.rejects(runMcp(["call", "read", "clusters_list", "--args", "[1"]), UsageError);
    await assert.rejects(runMcp(["call", "read", "clusters_list", "--args", "[1]"]), UsageError);
  });
});
