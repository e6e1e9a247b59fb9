/**
 * The audit lines of a change of a server's tools: what the tier allowed before and allows now
 * (every operation tool its registry can call, listed or reached through the discovery tools or
 * hidden by the account's toolsets), diffed by name. The host loads it only when a replacement
 * happened, after the handshake; `runos manifest update` writes the lines of every server.
 */
import { diffOperations, isEmptyDiff } from "../../catalog/diff.ts";
import type { Operation } from "../../catalog/operation.ts";
import { decide } from "../../policy/decide.ts";
import { SERVER_NAMES, TIERS } from "../../policy/tier.ts";
import type { ToolsChangeCause, ToolsChangedEntry } from "../call/audit.ts";
import type { ToolRegistry } from "../tools/registry.ts";

/** The line to write for going from `before` to `after`; undefined when no tool came, went or changed its route. */
export function toolsChangedEntry(before: ToolRegistry, after: ToolRegistry, cause: ToolsChangeCause | undefined, time: Date): ToolsChangedEntry | undefined {
  const diff = diffOperations(operationsOf(before), operationsOf(after));
  if (isEmptyDiff(diff)) return undefined;
  return {
    time: time.toISOString(),
    server: SERVER_NAMES[after.tier],
    event: "tools-changed",
    from: before.catalogVersion ?? "unknown",
    to: after.catalogVersion ?? "unknown",
    ...(cause === undefined ? {} : { by: cause }),
    ...diff,
  };
}

/** The operations a registry turns into tools. */
function operationsOf(registry: ToolRegistry): Operation[] {
  return registry.callable().flatMap((tool) => (tool.kind === "operation" ? [tool.operation] : []));
}

/** A catalog at one version: what `runos manifest update` had and has. */
export interface VersionedOperations {
  readonly version: string;
  readonly operations: readonly Operation[];
}

/**
 * The lines of a catalog change made outside any server (`runos manifest update`): one per server
 * whose tools it changes, each over the operations its tier allows as `decide()` settles them (the
 * registry's rule, without building four registries twice).
 */
export function catalogToolsChanges(before: VersionedOperations, after: VersionedOperations, cause: ToolsChangeCause, time: Date): ToolsChangedEntry[] {
  return TIERS.flatMap((tier) => {
    const allowed = (operation: Operation) => decide(tier, operation).kind !== "deny";
    const diff = diffOperations(before.operations.filter(allowed), after.operations.filter(allowed));
    if (isEmptyDiff(diff)) return [];
    return [{ time: time.toISOString(), server: SERVER_NAMES[tier], event: "tools-changed" as const, from: before.version, to: after.version, by: cause, ...diff }];
  });
}
