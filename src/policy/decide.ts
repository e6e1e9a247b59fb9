/**
 * The only place a tier decision is made. The catalog proposes (its `mcp` tags), policy disposes:
 * - the seed's lattice: `sensitive-read` lists everything `read` lists ("Everything in Read") plus
 *   what is tagged for it, whatever the catalog tags (RunOS tags its read commands `read` only);
 * - the secrets floor: a tier without the secrets power (`read`, `write`) never gets a secret-shaped
 *   operation (secret_verbs.ts), whatever its tags;
 * - the mutation floor: a read tier never gets a mutating operation, except one with a read-only
 *   mode, which it runs with that mode forced on (mutation.ts).
 * No tier gains by the lattice what its own floors forbid. The MCP registry, the tool-call path and
 * `runos manifest list --tier` ask here (CLI verbs run with the user's own credentials: no tier
 * applies to them).
 */
import type { Operation } from "../catalog/operation.ts";
import { hasReadOnlyMode, isMutating } from "./mutation.ts";
import { revealsSecrets } from "./secret_verbs.ts";
import { SERVER_NAMES, serveCommand, type Tier, TIER_TAG, TIERS } from "./tier.ts";

/**
 * What a tier may do: send mutating requests, and see secrets. Read here only: the rest of runos asks
 * the questions below, so a tier's powers are settled in this file.
 */
export const TIER_POWERS: Readonly<Record<Tier, { readonly mutate: boolean; readonly secrets: boolean }>> = {
  "read": { mutate: false, secrets: false },
  "sensitive-read": { mutate: false, secrets: true },
  "write": { mutate: true, secrets: false },
  "sensitive-write": { mutate: true, secrets: true },
};

/** Whether the tier's requests pass the write guard, which refuses any mutating request (the read tiers). */
export function guardsWrites(tier: Tier): boolean {
  return !TIER_POWERS[tier].mutate;
}

/** Whether the tier's answers, errors and progress are redacted (the tiers without the secrets power). */
export function redactsSecrets(tier: Tier): boolean {
  return !TIER_POWERS[tier].secrets;
}

/** The server to name for a write `tier` cannot make: the writing tier that sees what `tier` sees. */
export function writingTierFor(tier: Tier): Tier {
  return TIERS.find((candidate) => TIER_POWERS[candidate].mutate && TIER_POWERS[candidate].secrets === TIER_POWERS[tier].secrets) ?? "write";
}

/** What a tier may do with one operation. */
export type Decision =
  | { readonly kind: "allow" }
  /** Allowed with the read-write flag forced off (read tiers running `exec-sql`). */
  | { readonly kind: "allow-read-only" }
  /** Not on this tier; `alternative` is the safest tier that does allow it, if any. */
  | { readonly kind: "deny"; readonly alternative?: Tier };

/** The decision for `operation` on `tier`: tags and the lattice first, then the secrets and mutation floors. */
export function decide(tier: Tier, operation: Operation): Decision {
  const verdict = decideAlone(tier, operation);
  if (verdict.kind !== "deny") return verdict;
  const alternative = TIERS.find((candidate) => decideAlone(candidate, operation).kind !== "deny");
  return alternative === undefined ? { kind: "deny" } : { kind: "deny", alternative };
}

/** Tiers whose server lists everything another tier's lists (the seed's "Everything in Read"). */
const INCLUDES: Readonly<Partial<Record<Tier, Tier>>> = { "sensitive-read": "read" };

function decideAlone(tier: Tier, operation: Operation): Decision {
  const included = INCLUDES[tier];
  const tagged = operation.tags.has(TIER_TAG[tier]) || (included !== undefined && operation.tags.has(TIER_TAG[included]));
  if (!tagged) return { kind: "deny" };
  if (!TIER_POWERS[tier].secrets && revealsSecrets(operation)) return { kind: "deny" };
  if (TIER_POWERS[tier].mutate || !isMutating(operation)) return { kind: "allow" };
  return hasReadOnlyMode(operation) ? { kind: "allow-read-only" } : { kind: "deny" };
}

/**
 * Whether clients may run this tier's tools without asking the user: only the read server's. The
 * annotations say so, since clients approve by them: VS Code runs every tool marked `readOnlyHint:
 * true` unasked, Claude Desktop offers "Always allow" only for those, Cursor's Ask mode admits only
 * those. So on the other three servers no tool is marked read-only, even one that changes nothing
 * (a sensitive server's answers may hold secrets; every call there is the user's to allow).
 */
export function runsUnasked(tier: Tier): boolean {
  return tier === "read";
}

/** The operations a tier lists, in catalog order. */
export function operationsForTier(tier: Tier, operations: readonly Operation[]): Operation[] {
  return operations.filter((operation) => decide(tier, operation).kind !== "deny");
}

/**
 * The words for a refused call, naming the server that would allow it, as the seed's "Permission
 * Denied" troubleshooting expects: "permission denied: … enable `runos-write` (`runos mcp serve write`)".
 */
export function denialMessage(tier: Tier, operation: Pick<Operation, "toolName">, decision: Decision): string {
  const here = `permission denied: \`${operation.toolName}\` is not available on the \`${SERVER_NAMES[tier]}\` server (tier ${tier})`;
  if (decision.kind !== "deny" || decision.alternative === undefined) {
    return `${here}, and no RunOS MCP server offers it`;
  }
  const other = decision.alternative;
  return `${here}; enable \`${SERVER_NAMES[other]}\` (\`${serveCommand(other)}\`) to use it`;
}
