import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import process from "node:process";
import { registerMcpCommands } from "../../../src/cli/commands/mcp.ts";
import { TIERS } from "../../../src/policy/tier.ts";
import { captureCli } from "../../_harness/cli.ts";

/** `runos --sandbox mcp tools <tier> --json`, run in-process. */
async function toolsJson(tier: string): Promise<string> {
  const cli = captureCli({ json: true, sandbox: true, logLevel: "silent" });
  registerMcpCommands(cli.program, cli.context);
  await cli.run(["mcp", "tools", tier]);
  return cli.out.map((text) => (text.endsWith("\n") ? text : `${text}\n`)).join("");
}

describe("tools/list snapshots (fixtures/snapshots/tools_list.<tier>.json; UPDATE_SNAPSHOTS=1 rewrites)", () => {
  for (const tier of TIERS) {
    it(`\`runos mcp tools ${tier} --json\` matches its snapshot`, async () => {
      const actual = await toolsJson(tier);
      const path = new URL(`../../../fixtures/snapshots/tools_list.${tier}.json`, import.meta.url);
      if (process.env.UPDATE_SNAPSHOTS === "1") await writeFile(path, actual);
      const expected = await readFile(path, "utf8");
      assert.deepEqual(JSON.parse(actual), JSON.parse(expected));
    });
  }
});
