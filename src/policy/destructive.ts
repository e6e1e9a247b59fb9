/**
 * Whether an operation destroys something and therefore needs an explicit confirmation: `--yes` (or a
 * `[y/N]` answer) in the CLI, `confirm: true` over MCP. Derived from method and verb, as RunOS does;
 * the catalog does not declare it.
 */
import type { Operation } from "../catalog/operation.ts";
import { verbOf } from "./mutation.ts";

const DESTRUCTIVE_WORDS = ["delete", "drop", "wipe", "revoke", "remove", "reset", "purge", "flush", "evict", "drain"];

/**
 * DELETE, or a last path segment with a destructive word among its hyphen-separated words. A GET never is. `exec-sql` is
 * destructive only in read-write mode: policy/call_plan.ts decides that per call.
 */
export function isDestructive(operation: Operation): boolean {
  if (operation.method === "GET") return false;
  if (operation.method === "DELETE") return true;
  // Whole words of the verb (`force-delete`, `delete-all`), so `preset` is not a `reset`.
  return verbOf(operation).split("-").some((word) => DESTRUCTIVE_WORDS.includes(word));
}
