import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { SERVER_TITLES, serverInfo } from "../../../src/mcp/host/identity.ts";
import { SERVER_NAMES, TIERS } from "../../../src/policy/tier.ts";

/**
 * VS Code's tool prefix for a server (its `McpPrefixGenerator`): `mcp_` plus the server's title (else
 * its name), lower-cased, runs of other characters made `_`, cut to 13 characters.
 */
function vscodePrefix(label: string): string {
  return `mcp_${label.toLowerCase().replace(/[^a-z0-9_.-]+/g, "_").slice(0, 13)}_`;
}

describe("serverInfo", () => {
  it("names each server as clients' configs do, and titles it", () => {
    for (const tier of TIERS) assert.deepEqual({ name: serverInfo(tier).name, title: serverInfo(tier).title }, { name: SERVER_NAMES[tier], title: SERVER_TITLES[tier] });
  });

  it("gives the four servers tool prefixes in VS Code that tell them apart, where their names would not", () => {
    const byName = TIERS.map((tier) => vscodePrefix(SERVER_NAMES[tier]));
    assert.equal(new Set(byName).size, 3, "by name, runos-sensitive-read and runos-sensitive-write share mcp_runos-sensiti_");
    const byTitle = TIERS.map((tier) => vscodePrefix(serverInfo(tier).title));
    assert.deepEqual(byTitle, ["mcp_runos_read_", "mcp_runos_read_se_", "mcp_runos_write_", "mcp_runos_write_s_"]);
  });
});
