/**
 * Values a shell can offer for an option or an argument that commander does not validate itself
 * (runos checks them with better messages): tiers, clients, enum fields of the catalog. Commands
 * attach them where they declare the option; the completion scripts read them.
 */
import type { Argument, Option } from "commander";

const values = new WeakMap<Option | Argument, readonly string[]>();

/** Offer `candidates` when completing the value of `target`. */
export function completeWith<T extends Option | Argument>(target: T, candidates: readonly string[]): T {
  values.set(target, candidates);
  return target;
}

/** What completes `target`: its hint, else its commander choices, else nothing. */
export function completionValues(target: Option | Argument): readonly string[] {
  return values.get(target) ?? target.argChoices ?? [];
}
