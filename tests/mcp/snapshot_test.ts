import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import process from "node:process";
import { Command } from "@commander-js/extra-typings";
import { registerMcpCommands } from "../../src/cli/commands/mcp.ts";
import type { CliContext } from "../../src/cli/context.ts";
import { TIERS } from "../../src/policy/tier.ts";

/** `runos --sandbox mcp tools <tier> --json`, run in-process. */
async function toolsJson(tier: string): Promise<string> {
  let out = "";
  const context: CliContext = {
    globals: () => ({ json: true, color: false, sandbox: true, logLevel: "silent" }),
    stdout: (text) => void (out += text.endsWith("\n") ? text : `${text}\n`),
    stderr: () => {},
  };
  const program = new Command("runos").exitOverride();
  registerMcpCommands(program as unknown as Command, context);
  await program.parseAsync(["mcp", "tools", tier], { from: "user" });
  return out;
}

describe("tools/list snapshots (fixtures/snapshots/tools_list.<tier>.json; UPDATE_SNAPSHOTS=1 rewrites)", () => {
  for (const tier of TIERS) {
    it(`\`runos mcp tools ${tier} --json\` matches its snapshot`, async () => {
      const actual = await toolsJson(tier);
      const path = new URL(`../../fixtures/snapshots/tools_list.${tier}.json`, import.meta.url);
      if (process.env.UPDATE_SNAPSHOTS === "1") await writeFile(path, actual);
      const expected = await readFile(path, "utf8");
      assert.deepEqual(JSON.parse(actual), JSON.parse(expected));
    });
  }
});
