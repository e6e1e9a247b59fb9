/**
 * What a shell needs to complete runos, read off the commander tree once every command and catalog
 * verb is registered: per command path its subcommands, its options (and which take a value), the
 * values an option or a positional argument can take, and which list command names the values only
 * the API knows (cluster and service ids). The bash, zsh and fish scripts are written from this one
 * description.
 */
import type { Command } from "commander";
import { completionSource, completionValues } from "./hints.ts";

/** One command of the tree. */
export interface CompletionNode {
  /** Words from the root, e.g. `["services", "valkey", "add"]` (empty for the root). */
  readonly path: readonly string[];
  readonly subcommands: readonly string[];
  /** Every flag spelling of its own options (`-y`, `--yes`, `--no-public-read`). */
  readonly flags: readonly string[];
  /** The flags among them that take a value. */
  readonly valueFlags: readonly string[];
  /** Values of its options, by flag. */
  readonly optionValues: ReadonlyMap<string, readonly string[]>;
  /** Values of its positional arguments, by position. */
  readonly argumentValues: readonly (readonly string[])[];
  /** The list command (`clusters list`) that names the values of an option, by flag. */
  readonly optionSources: ReadonlyMap<string, string>;
  /** The list command that names a positional argument's values, by position (`undefined`: none). */
  readonly argumentSources: readonly (string | undefined)[];
}

/** The whole tree, and the root's options (global: they apply after any command word too). */
export interface CompletionSpec {
  readonly nodes: readonly CompletionNode[];
  readonly globalFlags: readonly string[];
  readonly globalValueFlags: readonly string[];
  readonly globalOptionValues: ReadonlyMap<string, readonly string[]>;
}

/** Only words a shell script can hold without quoting trouble. */
export function safeWord(word: string): boolean {
  return /^[A-Za-z0-9_.:@+=\/,-]+$/.test(word);
}

/** A list command's words as one shell word, when every word is safe. */
function sourceOf(target: Parameters<typeof completionSource>[0]): string | undefined {
  const source = completionSource(target);
  return source !== undefined && source.length > 0 && source.every(safeWord) ? source.join(" ") : undefined;
}

function optionsOf(command: Command): { flags: string[]; valueFlags: string[]; values: Map<string, readonly string[]>; sources: Map<string, string> } {
  const flags: string[] = [];
  const valueFlags: string[] = [];
  const values = new Map<string, readonly string[]>();
  const sources = new Map<string, string>();
  for (const option of command.options) {
    if (option.hidden) continue;
    const spellings = [option.short, option.long].filter((flag): flag is string => flag !== undefined);
    flags.push(...spellings);
    if (option.required || option.optional) {
      valueFlags.push(...spellings);
      const candidates = completionValues(option).filter(safeWord);
      if (candidates.length > 0) for (const flag of spellings) values.set(flag, candidates);
      const source = sourceOf(option);
      if (source !== undefined) for (const flag of spellings) sources.set(flag, source);
    }
  }
  flags.push("--help");
  return { flags, valueFlags, values, sources };
}

/** The completion spec of `program` (hidden options, and the `help` command, left out). */
export function completionSpec(program: Command): CompletionSpec {
  const nodes: CompletionNode[] = [];
  const visit = (command: Command, path: string[]) => {
    const own = path.length === 0 ? { flags: ["--help", "--version", "-V"], valueFlags: [], values: new Map(), sources: new Map() } : optionsOf(command);
    nodes.push({
      path,
      subcommands: command.commands.map((sub) => sub.name()).filter((name) => name !== "help" && safeWord(name)),
      flags: own.flags,
      valueFlags: own.valueFlags,
      optionValues: own.values,
      argumentValues: command.registeredArguments.map((argument) => completionValues(argument).filter(safeWord)),
      optionSources: own.sources,
      argumentSources: command.registeredArguments.map((argument) => sourceOf(argument)),
    });
    for (const sub of command.commands) if (sub.name() !== "help" && safeWord(sub.name())) visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
  const global = optionsOf(program);
  return {
    nodes,
    globalFlags: global.flags.filter((flag) => flag !== "--help"),
    globalValueFlags: global.valueFlags,
    globalOptionValues: global.values,
  };
}
