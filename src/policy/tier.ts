/**
 * The four tiers and the MCP server that serves each. The server names are the ones in the seed's
 * `.mcp.json` and double as each server's `serverInfo.name`.
 */
import { UsageError } from "../errors.ts";
import type { TierTag } from "../catalog/schema.ts";

/** The four tiers, safest first. */
export const TIERS = ["read", "sensitive-read", "write", "sensitive-write"] as const;
/** A tier, as written on the command line: `runos mcp serve sensitive-read`. */
export type Tier = (typeof TIERS)[number];

/** The MCP server name of each tier. */
export const SERVER_NAMES: Readonly<Record<Tier, string>> = {
  "read": "runos",
  "sensitive-read": "runos-sensitive-read",
  "write": "runos-write",
  "sensitive-write": "runos-sensitive-write",
};

/** The catalog tag of each tier (`sensitive-read` → `sensitive_read`). */
/** The tier of the server called `name` (`runos-write` → write), or undefined for another name. */
export function tierOfServer(name: string): Tier | undefined {
  return TIERS.find((tier) => SERVER_NAMES[tier] === name);
}

export const TIER_TAG: Readonly<Record<Tier, TierTag>> = {
  "read": "read",
  "sensitive-read": "sensitive_read",
  "write": "write",
  "sensitive-write": "sensitive_write",
};

/** The command line that starts a tier's server, for messages: `runos mcp serve write`. */
export function serveCommand(tier: Tier): string {
  return `runos mcp serve ${tier}`;
}

/** Parse a tier from the command line; anything else is a usage error listing the four. */
export function parseTier(value: string): Tier {
  // The catalog's tags spell tiers with an underscore (`sensitive_read`); accept that spelling too.
  const tier = TIERS.find((candidate) => candidate === value.replace(/_/g, "-"));
  if (tier === undefined) {
    throw new UsageError(`unknown tier "${value}"`, { hint: `choose one of: ${TIERS.join(", ")}` });
  }
  return tier;
}
