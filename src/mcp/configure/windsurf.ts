/**
 * Windsurf: `~/.codeium/windsurf/mcp_config.json` (global only), root `mcpServers`. Windsurf uses at
 * most 100 tools across all servers, so the note counts the tools each selected tier brings.
 */
import { SERVER_NAMES } from "../../policy/tier.ts";
import { joinPath } from "./locations.ts";
import { serverMapFile, type ServerMapFormat } from "./server_map.ts";
import { toolCountByTier } from "./servers.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

/** Windsurf's limit on tools across every enabled server. */
export const WINDSURF_TOOL_CAP = 100;

const format: ServerMapFormat = {
  mapPath: ["mcpServers"],
  comments: false,
  keepKeys: ["env"],
  entry: (server) => ({ command: server.command, args: [...server.args], env: {} }),
};

/** The Windsurf writer. */
export const windsurfWriter: ClientWriter = {
  id: "windsurf",
  displayName: "Windsurf",
  scopes: ["user"],
  plan(input: ConfigureInput): PlannedFile[] {
    return [serverMapFile(joinPath(input.env, input.env.home, ".codeium", "windsurf", "mcp_config.json"), format, input)];
  },
  notes(input: ConfigureInput): string[] {
    if (input.remove) return [];
    const counts = toolCountByTier(input.operations);
    const total = input.tiers.reduce((sum, tier) => sum + counts[tier], 0);
    const perTier = input.tiers.map((tier) => `${SERVER_NAMES[tier]} ${counts[tier]}`).join(", ");
    const verdict = total > WINDSURF_TOOL_CAP
      ? `that is over the cap: turn some off in Windsurf's MCP settings, or configure fewer tiers (--tiers read).`
      : "that fits, together with your other servers' tools.";
    return [`Windsurf uses at most ${WINDSURF_TOOL_CAP} tools across all servers. runos brings ${total} (${perTier}); ${verdict}`];
  },
};
