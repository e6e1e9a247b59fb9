/**
 * Values a shell can offer for an option or an argument that commander does not validate itself
 * (runos checks them with better messages): tiers, clients, enum fields of the catalog. Commands
 * attach them where they declare the option; the completion scripts read them. Values only the API
 * knows (cluster and service ids) are attached as the catalog's list command that names them: the
 * scripts ask `runos __complete` for those at the time of completing (see dynamic.ts).
 */
import type { Argument, Option } from "commander";

/** The hidden command word the completion scripts call for those values (see dynamic.ts). */
export const COMPLETE_COMMAND = "__complete";

const values = new WeakMap<Option | Argument, readonly string[]>();
const sources = new WeakMap<Option | Argument, readonly string[]>();

/** Offer `candidates` when completing the value of `target`. */
export function completeWith<T extends Option | Argument>(target: T, candidates: readonly string[]): T {
  values.set(target, candidates);
  return target;
}

/** Offer the ids and names the catalog's list command `verbPath` (`["clusters", "list"]`) answers. */
export function completeFrom<T extends Option | Argument>(target: T, verbPath: readonly string[]): T {
  sources.set(target, verbPath);
  return target;
}

/** What completes `target`: its hint, else its commander choices, else nothing. */
export function completionValues(target: Option | Argument): readonly string[] {
  return values.get(target) ?? target.argChoices ?? [];
}

/** The list command whose answer completes `target`, if any. */
export function completionSource(target: Option | Argument): readonly string[] | undefined {
  return sources.get(target);
}
