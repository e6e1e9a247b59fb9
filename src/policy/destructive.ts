/**
 * Whether an operation destroys something and therefore needs an explicit confirmation: `--yes` (or a
 * `[y/N]` answer) in the CLI, `confirm: true` over MCP. Derived from method and verb, as RunOS does;
 * the catalog does not declare it.
 */
import type { Operation } from "../catalog/operation.ts";
import { hasReadOnlyMode, verbOf } from "./mutation.ts";

const DESTRUCTIVE_WORDS = ["delete", "drop", "wipe", "revoke", "remove", "reset", "purge", "flush", "evict", "drain"];

/**
 * DELETE, or a last path segment with a destructive word among its hyphen-separated words. A GET never is. `exec-sql` is
 * destructive only in read-write mode: see {@link isDestructiveCall}.
 */
export function isDestructive(operation: Operation): boolean {
  if (operation.method === "GET") return false;
  if (operation.method === "DELETE") return true;
  // Whole words of the verb (`force-delete`, `delete-all`), so `preset` is not a `reset`.
  return verbOf(operation).split("-").some((word) => DESTRUCTIVE_WORDS.includes(word));
}

/**
 * Whether this particular call needs confirmation: a destructive operation, or an operation with a
 * read-only mode called with its read-write flag on.
 */
export function isDestructiveCall(operation: Operation, readWrite: boolean): boolean {
  return isDestructive(operation) || (hasReadOnlyMode(operation) && readWrite);
}
