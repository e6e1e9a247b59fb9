/**
 * Clients that use only so many tools (Windsurf: 100 across all servers): count the tools the runos
 * servers in a client's files would list, and name the ways to fit. The ways are a list so that more
 * can join it (a discovery mode that lists a few tools and finds the rest on demand).
 */
import type { Operation } from "../catalog/operation.ts";
import { SERVER_NAMES, type Tier, TIERS } from "../policy/tier.ts";
import type { FileChange } from "./apply.ts";
import { toolCountByTier } from "./servers.ts";
import type { ToolsMode } from "../mcp/tools/registry.ts";
import type { ClientWriter } from "./writer.ts";

/** The tool count of the runos servers a client's files configure, against the client's cap. */
export interface CapCheck {
  readonly limit: number;
  readonly total: number;
  readonly over: boolean;
  readonly message: string;
  /** Ways to fit, each one line; more (such as a discovery mode) can be added here. */
  readonly remedies: string[];
}

/**
 * Count the tools of the runos servers a client's files would configure (the tiers asked for, plus
 * runos servers already there) against the client's cap; undefined for a client without one.
 */
export function checkToolCap(
  client: ClientWriter,
  request: { readonly tiers: readonly Tier[]; readonly operations: readonly Operation[]; readonly tools?: ToolsMode; readonly remote?: boolean },
  changes: readonly FileChange[],
): CapCheck | undefined {
  const cap = client.toolCap;
  if (cap === undefined) return undefined;
  const present = new Set<string>();
  for (const change of changes) {
    const text = change.after ?? change.before;
    if (text !== undefined) for (const name of cap.serversIn(text)) present.add(name);
  }
  const configured = TIERS.filter((tier) => present.has(SERVER_NAMES[tier]) || request.tiers.includes(tier));
  const counts = toolCountByTier(request.operations, request.tools);
  const total = configured.reduce((sum, tier) => sum + counts[tier], 0);
  const perTier = configured.map((tier) => `${SERVER_NAMES[tier]} ${counts[tier]}`).join(", ");
  const message = `${client.displayName} uses at most ${cap.limit} tools across all its servers, and the runos servers would list ${total} (${perTier})`;
  const remedies: string[] = [];
  const fit = fewerTiersThatFit(counts, cap.limit);
  if (fit !== undefined) {
    const extra = configured.filter((tier) => !fit.includes(tier) && !request.tiers.includes(tier));
    const removal = extra.length > 0 ? `\`runos mcp configure ${client.id} --remove --tiers ${extra.join(",")}\`, then ` : "";
    remedies.push(`configure fewer tiers: ${removal}\`runos mcp configure ${client.id} --tiers ${fit.join(",")}\` (${fit.reduce((sum, tier) => sum + counts[tier], 0)} tools)`);
  }
  if (request.tools !== "discover") {
    const discover = toolCountByTier(request.operations, "discover");
    const few = configured.reduce((sum, tier) => sum + discover[tier], 0);
    const how = request.remote === true
      ? `serve them with \`runos mcp serve <tier> --http … --tools discover\`, then \`runos mcp configure ${client.id} --url … --tools discover\``
      : `\`runos mcp configure ${client.id} --tools discover\``;
    remedies.unshift(`list only the discovery tools (search_tools, describe_tools, call_tool): ${how} (${few} tools, every catalog tool still callable)`);
  }
  remedies.push(`write them anyway with --force, then turn tools off in ${client.displayName}'s MCP settings`);
  return { limit: cap.limit, total, over: total > cap.limit, message, remedies };
}

/**
 * The largest set of tiers whose tools fit in `limit`: the most tiers, and among as many the one that
 * leaves out the most powerful ones (sensitive-write goes first, read last).
 */
export function fewerTiersThatFit(counts: Readonly<Record<Tier, number>>, limit: number): Tier[] | undefined {
  let best: Tier[] | undefined;
  const rank = (tiers: readonly Tier[]) => tiers.map((tier) => TIERS.indexOf(tier));
  for (let mask = 1; mask < 1 << TIERS.length; mask++) {
    const tiers = TIERS.filter((_tier, i) => (mask & (1 << i)) !== 0);
    if (tiers.reduce((sum, tier) => sum + counts[tier], 0) > limit) continue;
    if (best === undefined || tiers.length > best.length || (tiers.length === best.length && earlier(rank(tiers), rank(best)))) best = tiers;
  }
  return best;
}

/** Whether index list `a` comes before `b` (both sorted, same length). */
function earlier(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** The note a run prints about the cap: it fits, it was forced past, or the ways to fit. */
export function capNote(cap: CapCheck, force: boolean): string {
  if (!cap.over) return `${cap.message}: that fits, together with up to ${cap.limit - cap.total} tools of your other servers.`;
  if (force) return `${cap.message}: over the cap, written anyway (--force); turn tools off in the client's MCP settings.`;
  return `${cap.message}: over the cap. Ways to fit:${cap.remedies.map((remedy) => `\n  - ${remedy}`).join("")}`;
}
