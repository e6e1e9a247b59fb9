/**
 * Whether an operation changes anything: the floor that no catalog can lower. Read tiers never send
 * a mutating request, whatever the catalog's tags say.
 */
import type { Operation } from "../catalog/operation.ts";

/**
 * POST verbs known to only read. Any other POST counts as mutating (fail closed): a new catalog verb
 * is kept off the read tiers until it is listed here.
 */
const READ_ONLY_POST_VERBS = new Set(["query", "search", "check", "validate", "preview", "explain", "domain-check"]);

/** The flag that switches an operation from read-only to read-write (`exec-sql --read-write`). */
export const READ_WRITE_FLAG = "readWrite";

/** The last non-placeholder segment of the command path: its verb (`exec-sql`, `add`, `show`). */
export function verbOf(operation: Pick<Operation, "verbPath">): string {
  return operation.verbPath[operation.verbPath.length - 1] ?? "";
}

/** The last literal segment of the endpoint (`/:aid/:cid/services/postgresql/:id/exec-sql` → `exec-sql`). */
export function endpointVerbOf(operation: Pick<Operation, "endpoint">): string {
  const literals = operation.endpoint.split(/[/?]/).filter((segment) => segment !== "" && !segment.startsWith(":"));
  return literals[literals.length - 1] ?? "";
}

/**
 * The verb when the command's name and its endpoint agree on it, else undefined. A read-only
 * exception is granted on that agreement only: a POST named `exec-sql` that goes to
 * `…/rotate-credentials` gets none.
 */
function agreedVerb(operation: Pick<Operation, "verbPath" | "endpoint">): string | undefined {
  const verb = verbOf(operation);
  return verb !== "" && endpointVerbOf(operation) === verb ? verb : undefined;
}

/**
 * Verbs whose read-write flag truly switches them between reading and writing. Any other verb keeps
 * its nature whatever flags the catalog gives it: a `readWrite` flag on `deploy` puts nothing on the
 * read tiers (fail closed, like READ_ONLY_POST_VERBS).
 */
const READ_ONLY_MODE_VERBS = new Set(["exec-sql"]);

/**
 * An operation that mutates only when asked to, so a read tier may run it with its `readWrite` flag
 * forced off: a verb listed in READ_ONLY_MODE_VERBS (PostgreSQL's `exec-sql`), on an endpoint of that
 * same verb, by GET or POST, carrying that flag.
 */
export function hasReadOnlyMode(operation: Pick<Operation, "verbPath" | "endpoint" | "method" | "flags">): boolean {
  const verb = agreedVerb(operation);
  return verb !== undefined && READ_ONLY_MODE_VERBS.has(verb) && (operation.method === "POST" || operation.method === "GET") &&
    operation.flags.some((flag) => flag.name === READ_WRITE_FLAG);
}

/**
 * True when the operation can change state: any PUT, PATCH or DELETE, and every POST not known to only
 * read (its verb in READ_ONLY_POST_VERBS, its endpoint ending in that same verb).
 */
export function isMutating(operation: Pick<Operation, "verbPath" | "endpoint" | "method">): boolean {
  switch (operation.method) {
    case "GET":
      return false;
    case "PUT":
    case "PATCH":
    case "DELETE":
      return true;
    case "POST":
      return !READ_ONLY_POST_VERBS.has(agreedVerb(operation) ?? "");
  }
}
