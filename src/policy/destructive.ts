/**
 * Whether an operation destroys something and therefore needs an explicit confirmation: `--yes` (or a
 * `[y/N]` answer) in the CLI, `confirm: true` over MCP. Derived from method and verb, as RunOS does;
 * the catalog does not declare it.
 */
import type { Operation } from "../catalog/operation.ts";
import { verbOf } from "./mutation.ts";

const DESTRUCTIVE_WORDS = ["delete", "drop", "wipe", "revoke", "remove", "reset", "purge", "flush", "evict", "drain"];

/**
 * Whole verbs that destroy or overwrite although no word of theirs says delete: RunOS's own
 * `clear-cache` and `set-data` (its CLI asks for them), and verbs that replace what is there with
 * something else (`restore`, `restore-to-time`, `replace-manifest`, `uninstall`).
 */
const DESTRUCTIVE_VERBS = new Set(["clear-cache", "set-data", "restore", "restore-to-time", "replace-manifest", "uninstall"]);

/**
 * DELETE, or a last path segment with a destructive word among its hyphen-separated words, or one of
 * the destructive verbs. A GET never is. `exec-sql` is destructive only in read-write mode:
 * policy/call_plan.ts decides that per call.
 */
export function isDestructive(operation: Operation): boolean {
  if (operation.method === "GET") return false;
  if (operation.method === "DELETE") return true;
  const verb = verbOf(operation);
  if (DESTRUCTIVE_VERBS.has(verb)) return true;
  // Whole words of the verb (`force-delete`, `delete-all`), so `preset` is not a `reset`.
  return verb.split("-").some((word) => DESTRUCTIVE_WORDS.includes(word));
}
