/**
 * A mistyped command word and the command meant: `runos help clustrs` answers "did you mean
 * `clusters`?" as commander does for `runos clustrs` (the same rule: at most two edits, and at least
 * 40 % of the word kept), for the paths commander does not parse itself (`runos help …`, a group
 * that runs without a subcommand).
 */
import type { Command as PlainCommand } from "commander";
import { UsageError } from "../errors.ts";

/** Most edits a suggestion may be away from the word typed (commander's limit). */
const MAX_EDITS = 2;

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The candidates closest to `word`, alphabetically; empty when none is close enough. */
export function closestNames(word: string, candidates: readonly string[]): string[] {
  let best = MAX_EDITS + 1;
  let closest: string[] = [];
  for (const candidate of new Set(candidates)) {
    if (candidate.length <= 1) continue;
    const distance = editDistance(word, candidate);
    const length = Math.max(word.length, candidate.length);
    if ((length - distance) / length <= 0.4 || distance > best) continue;
    if (distance < best) {
      best = distance;
      closest = [];
    }
    closest.push(candidate);
  }
  return closest.sort((a, b) => a.localeCompare(b));
}

/**
 * The usage error for `word`, which names no subcommand of `parent` (reached by `path` from the root):
 * the closest subcommand when one is close, else every one.
 */
export function unknownCommandError(word: string, parent: PlainCommand, path: readonly string[]): UsageError {
  const known = parent.commands.map((sub) => sub.name()).filter((name) => name !== "help" && !name.startsWith("__"));
  const where = path.length === 0 ? "" : ` under \`runos ${path.join(" ")}\``;
  const help = `\`runos help${path.length === 0 ? "" : ` ${path.join(" ")}`}\``;
  const closest = closestNames(word, known);
  const hint = closest.length > 0
    ? `did you mean ${closest.map((name) => `\`${name}\``).join(" or ")}? (see ${help})`
    : known.length > 0 ? `one of: ${known.join(", ")} (see ${help})` : "see `runos help`";
  return new UsageError(`unknown command "${word}"${where}`, { hint });
}
