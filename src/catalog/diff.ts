/**
 * What a catalog change did to a list of operations, by tool name: the tools that came, the tools
 * that went, and the tools whose HTTP method or endpoint changed under the same name (a renamed
 * route is a different call, whatever the name says). Descriptions, inputs and tags are not
 * compared: this is the diff a person checks an update by, and the one the audit log keeps.
 */
import type { HttpMethod, Operation } from "./operation.ts";

/** Where one tool's requests go. */
export interface OperationRoute {
  readonly method: HttpMethod;
  /** The endpoint template, `/:aid/:cid/services/valkey/:id`. */
  readonly endpoint: string;
}

/** A tool that was added or removed: its name, its catalog command, and its route. */
export interface OperationSummary extends OperationRoute {
  /** The MCP tool name, `services_valkey_show`. */
  readonly name: string;
  /** The catalog command path, `services/valkey/{id}/show`. */
  readonly command: string;
}

/** A tool kept under its name whose method or endpoint changed. */
export interface OperationChange {
  readonly name: string;
  /** The command path it has now. */
  readonly command: string;
  readonly before: OperationRoute;
  readonly after: OperationRoute;
}

/** The three lists, each in tool-name order. */
export interface OperationsDiff {
  readonly added: readonly OperationSummary[];
  readonly removed: readonly OperationSummary[];
  readonly changed: readonly OperationChange[];
}

/** The part of an operation the diff looks at. */
export type DiffedOperation = Pick<Operation, "toolName" | "command" | "method" | "endpoint">;

/** The diff from `before` to `after`, matched by tool name. */
export function diffOperations(before: readonly DiffedOperation[], after: readonly DiffedOperation[]): OperationsDiff {
  const old = new Map(before.map((operation) => [operation.toolName, operation]));
  const fresh = new Map(after.map((operation) => [operation.toolName, operation]));
  const added: OperationSummary[] = [];
  const changed: OperationChange[] = [];
  for (const [name, operation] of fresh) {
    const previous = old.get(name);
    if (previous === undefined) added.push(summary(operation));
    else if (previous.method !== operation.method || previous.endpoint !== operation.endpoint) {
      changed.push({ name, command: operation.command, before: route(previous), after: route(operation) });
    }
  }
  const removed = [...old.values()].filter((operation) => !fresh.has(operation.toolName)).map(summary);
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return { added: added.sort(byName), removed: removed.sort(byName), changed: changed.sort(byName) };
}

/** Whether nothing was added, removed or changed. */
export function isEmptyDiff(diff: OperationsDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}

/** `3 added, 1 removed, 2 changed`; the empty lists are left out (`nothing changed` when all are). */
export function diffCounts(diff: { readonly added: readonly unknown[]; readonly removed: readonly unknown[]; readonly changed: readonly unknown[] }): string {
  const parts = ([["added", diff.added], ["removed", diff.removed], ["changed", diff.changed]] as const)
    .filter(([, list]) => list.length > 0)
    .map(([word, list]) => `${list.length} ${word}`);
  return parts.length === 0 ? "nothing changed" : parts.join(", ");
}

function summary(operation: DiffedOperation): OperationSummary {
  return { name: operation.toolName, command: operation.command, method: operation.method, endpoint: operation.endpoint };
}

function route(operation: DiffedOperation): OperationRoute {
  return { method: operation.method, endpoint: operation.endpoint };
}
