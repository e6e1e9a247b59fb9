/**
 * The runos server entries every writer emits (name, command, args), built from the running
 * program's own command line, and the tool facts writers need for approval lists and tool caps.
 */
import type { Operation } from "../../catalog/operation.ts";
import { SERVER_NAMES, type Tier, TIERS } from "../../policy/tier.ts";
import { buildRegistry, type ToolsMode } from "../registry.ts";

/** The command line that starts this program: what `selfCommand()` returns. */
export interface SelfCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** One MCP server as written into a client's config. */
export interface ServerEntry {
  readonly tier: Tier;
  /** `runos`, `runos-sensitive-read`, `runos-write` or `runos-sensitive-write`. */
  readonly name: string;
  /** Absolute path of the executable. */
  readonly command: string;
  /** Arguments, ending with `mcp serve <tier>` (then `--sandbox` for sandbox servers). */
  readonly args: readonly string[];
}

/**
 * The entries for `tiers` (in the canonical tier order), each running `<self> mcp serve <tier>`, and
 * with `sandbox` `<self> mcp serve <tier> --sandbox` (the four then share one sandbox).
 */
export function serverEntries(self: SelfCommand, tiers: readonly Tier[], options: { sandbox?: boolean; tools?: ToolsMode } = {}): ServerEntry[] {
  // `auto` is the server's own default: nothing to write for it.
  const tools = options.tools === undefined || options.tools === "auto" ? [] : ["--tools", options.tools];
  return TIERS.filter((tier) => tiers.includes(tier)).map((tier) => ({
    tier,
    name: SERVER_NAMES[tier],
    command: self.command,
    args: [...self.args, "mcp", "serve", tier, ...tools, ...(options.sandbox === true ? ["--sandbox"] : [])],
  }));
}

/**
 * The tools the read server lists whose annotations say they only read (its catalog tools as
 * decided by policy, plus built-ins like `manifest_update`), sorted: what clients may run unasked.
 */
export function readServerToolNames(operations: readonly Operation[], tools: ToolsMode = "auto"): string[] {
  return buildRegistry("read", operations, { hasDefaultCluster: false, mode: tools }).tools
    .filter((tool) => tool.annotations?.readOnlyHint === true)
    .map((tool) => tool.name)
    .sort();
}

/** How many tools each tier's server lists, built-ins included, with `--tools <mode>`. */
export function toolCountByTier(operations: readonly Operation[], tools: ToolsMode = "auto"): Record<Tier, number> {
  const counts = {} as Record<Tier, number>;
  for (const tier of TIERS) counts[tier] = buildRegistry(tier, operations, { hasDefaultCluster: false, mode: tools }).tools.length;
  return counts;
}

/** `a`, `a and b`, `a, b and c`. */
export function listNames(names: readonly string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
