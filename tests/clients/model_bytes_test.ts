import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { averageBytes, bytesPerServer, formatServerBytes } from "./model_bytes.ts";
import { serverOfTool, type ToolNaming } from "./probes.ts";

/** Gemini CLI's naming. */
const gemini: ToolNaming = (server, tool) => `mcp_${server}_${tool}`;
/** A naming where one server's prefix (`runos-`) starts another's tools (`runos-write-…`). */
const dashed: ToolNaming = (server, tool) => `${server}-${tool}`;

describe("model-visible bytes per server", () => {
  it("finds a tool's server by the longest prefix, and no server for a client's own tool", () => {
    assert.equal(serverOfTool("mcp_runos_clusters_list", gemini), "runos");
    assert.equal(serverOfTool("mcp_runos-sensitive-write_services_valkey_delete", gemini), "runos-sensitive-write");
    assert.equal(serverOfTool("runos-write-services_valkey_add", dashed), "runos-write");
    assert.equal(serverOfTool("read_file", gemini), undefined);
  });

  it("averages per server, servers safest first, other tools left out", () => {
    const perServer = bytesPerServer([
      { name: "mcp_runos-write_a", bytes: 300 },
      { name: "mcp_runos_a", bytes: 100 },
      { name: "mcp_runos_b", bytes: 201 },
      { name: "shell", bytes: 5000 },
    ], gemini);
    assert.deepEqual(Object.keys(perServer), ["runos", "runos-write"]);
    assert.deepEqual(perServer.runos, { tools: 2, total: 301, average: 151 });
    assert.deepEqual(averageBytes(perServer), { runos: 151, "runos-write": 300 });
    assert.equal(formatServerBytes(perServer, () => "(x)"), "runos 151 B × 2 (x), runos-write 300 B × 1 (x)");
  });
});
