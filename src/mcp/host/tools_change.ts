/**
 * The audit line of one replacement of a server's tools: what the tier allowed before and allows
 * now (every operation tool its registry can call, listed or reached through the discovery tools or
 * hidden by the account's toolsets), diffed by name. The host loads it only when a replacement
 * happened, after the handshake.
 */
import { diffOperations, isEmptyDiff } from "../../catalog/diff.ts";
import type { Operation } from "../../catalog/operation.ts";
import { SERVER_NAMES } from "../../policy/tier.ts";
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
