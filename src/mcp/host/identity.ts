/**
 * What a tier's MCP server says it is: its `serverInfo`, its capabilities and the `instructions` a
 * client shows the model. One source for the SDK's `Server` (sdk_server.ts) and for the handshake that
 * stdio answers before the SDK is loaded (handshake.ts), so the two cannot drift apart.
 */
import { guardsWrites, redactsSecrets } from "../../policy/decide.ts";
import { SERVER_NAMES, type Tier, TIERS } from "../../policy/tier.ts";
import { VERSION } from "../../version.ts";

/**
 * What each server is called in a client's UI. VS Code also makes its tool prefix from it (the
 * title, else the name, cut to 13 characters): `runos-sensitive-read` and `runos-sensitive-write`
 * would both become `mcp_runos-sensiti_`, these stay apart (`runos_read_se`, `runos_write_s`).
 */
export const SERVER_TITLES: Readonly<Record<Tier, string>> = {
  "read": "RunOS read",
  "sensitive-read": "RunOS read+secrets",
  "write": "RunOS write",
  "sensitive-write": "RunOS write+secrets",
};

/** The `serverInfo` of a tier's server: its name in the clients' configuration, its title, and this runos version. */
export function serverInfo(tier: Tier): { name: string; title: string; version: string } {
  return { name: SERVER_NAMES[tier], title: SERVER_TITLES[tier], version: VERSION };
}

/** What every tier's server offers: tools (whose list can change) and an empty resource list. */
export function serverCapabilities(): { tools: { listChanged: boolean }; resources: Record<string, never> } {
  return { tools: { listChanged: true }, resources: {} };
}

/**
 * The `instructions` a client shows the model: what this tier does, which server does the rest, and
 * how to find tools when the server lists only the discovery ones (the same words in either listing,
 * so they are known before any tool list is built).
 */
export function tierInstructions(tier: Tier): string {
  const power = {
    "read": "query clusters, nodes, services, apps and jobs; it never changes anything and returns no secrets (they read [redacted])",
    "sensitive-read": "everything the read server does, plus passwords, connection strings and API keys; it never changes anything",
    "write": "create, update and delete services, deploy apps and run SQL read-write; secrets in its answers read [redacted]",
    "sensitive-write": "rotate credentials, manage secrets and API keys, plus every write operation; its answers include secrets",
  }[tier];
  const others = TIERS.filter((other) => other !== tier).map((other) => `\`${SERVER_NAMES[other]}\` (${other})`).join(", ");
  return [
    `RunOS \`${SERVER_NAMES[tier]}\` server (tier ${tier}): ${power}.`,
    `The other RunOS servers are ${others}; a tool this server lacks answers which one has it.`,
    guardsWrites(tier)
      ? "Before a destructive call on a write server, get its preview (what it destroys, what uses it) and confirm token with preview_destructive, which only reads; show the preview to the user and pass the token only after they explicitly agreed to that exact target."
      : `A destructive tool runs only with a confirm token. Get it with the preview of what the call destroys from preview_destructive on \`${SERVER_NAMES.read}\` (it only reads, so it runs without asking), or from a call without confirm; show the preview to the user and pass the token only after they explicitly agreed to that exact target.`,
    "Cluster-scoped tools take `cid`, a cluster's id or name from clusters_list (where it is optional, the default cluster is used); an `id` is the resource's id from its list tool. Calls that start a job (their description says so) wait up to 2 minutes for it, reporting progress; a longer job answers with its jobId: follow it with jobs_follow.",
    "When this server lists search_tools, find a tool with it, read its arguments with describe_tools and run it with call_tool. If a tool you expect is missing, call manifest_update.",
    !redactsSecrets(tier) ? "Answers may contain secrets: do not repeat them unless the user asks." : "",
  ].filter((line) => line !== "").join("\n");
}
