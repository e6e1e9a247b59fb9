/**
 * Which catalog list command names the values of a verb's argument, for completing them as kubectl
 * completes names: a cluster (`--cid`, `clusters show <cid>`) from `clusters list`, the `{id}` of
 * `services/valkey/{id}/show` from `services/valkey/list`. Only a list that needs nothing but the
 * cluster qualifies: completion must not guess arguments.
 */
import { placeholders } from "../../catalog/naming.ts";
import type { Operation } from "../../catalog/operation.ts";
import { findClustersList } from "../../cluster_names.ts";
import { CLUSTER_ARGUMENT } from "../../policy/call_plan.ts";

/** The list command whose rows name the values of `name` in `operation`, or undefined. */
export function listerFor(operation: Operation, name: string, operations: readonly Operation[]): Operation | undefined {
  if (name === CLUSTER_ARGUMENT) return findClustersList(operations);
  const segments = operation.command.split("/");
  const at = segments.indexOf(`{${name}}`);
  if (at <= 0) return undefined;
  const listPath = [...segments.slice(0, at), "list"].join("/");
  const lister = operations.find((candidate) => candidate.command === listPath && candidate.method === "GET");
  if (lister === undefined || placeholders(lister.command).length > 0) return undefined;
  return lister.params.some((param) => param.required && param.name !== CLUSTER_ARGUMENT) ? undefined : lister;
}
