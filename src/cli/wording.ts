/**
 * The CLI speaks in flags and verbs: a catalog field is `--max-memory-mb` (its flag, as cliFlagName
 * spells it) and a catalog command is `runos services minio create-bucket`, never `maxMemoryMb` or
 * `services/minio/{id}/create-bucket`. This module rewrites the catalog's and the API's words (help
 * text, validation errors) into the CLI's.
 */
import type { Operation, Parameter } from "../catalog/operation.ts";
import { patternExample, patternInWords, patternRuleInWords } from "../catalog/pattern_words.ts";
import { RunosError, ValidationError } from "../errors.ts";

/** How the CLI spells one input of an operation: `<id>` for a positional, `--flag` otherwise. */
export type InputLabel = (name: string) => string;

/** The verb of a catalog command, as typed: `runos services minio create-bucket`. */
export function verbOf(operation: Pick<Operation, "verbPath">): string {
  return `runos ${operation.verbPath.join(" ")}`;
}

/**
 * `text` with the operation's field names said as flags (`` `readWrite` `` or a bare camelCase
 * `maxMemoryMb` → `--max-memory-mb`) and catalog command paths said as verbs. Plain lower-case
 * words (`name`, `query`) are left alone outside backticks: they are also English.
 */
export function cliWords(text: string, operation: Pick<Operation, "params" | "flags">, label: InputLabel, operations: readonly Operation[] = []): string {
  let result = text;
  const names = [...operation.params.map((param) => param.name), ...operation.flags.map((flag) => flag.name)];
  for (const name of [...new Set(names)].sort((a, b) => b.length - a.length)) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    result = result.replace(new RegExp(`\`${escaped}\``, "g"), `\`${label(name)}\``);
    if (/[A-Z]/.test(name)) result = result.replace(new RegExp(`(?<![\\w\`-])${escaped}(?![\\w\`])`, "g"), label(name));
  }
  return commandsAsVerbs(result, operations);
}

/** Catalog command paths (`services/minio/{id}/create-bucket`) in `text` said as `runos …` verbs. */
export function commandsAsVerbs(text: string, operations: readonly Operation[]): string {
  if (!text.includes("/")) return text;
  let result = text;
  for (const operation of [...operations].sort((a, b) => b.command.length - a.command.length)) {
    if (!operation.command.includes("/") || !result.includes(operation.command)) continue;
    result = result.split(operation.command).join(verbOf(operation));
  }
  return result;
}

/**
 * An error from planning or sending a verb's call, re-worded for the CLI: the API's field list
 * (`maxMemoryMb: must be at most 65536`) names the flags instead, and so do message and hint.
 */
export function cliError(error: unknown, operation: Operation, label: InputLabel, operations: readonly Operation[]): unknown {
  if (!(error instanceof RunosError)) return error;
  let message = error.message;
  const fields = error instanceof ValidationError && Array.isArray(error.details?.fields) ? error.details.fields : [];
  for (const field of fields) {
    if (field === null || typeof field !== "object") continue;
    const { name, message: problem } = field as { name?: unknown; message?: unknown };
    if (typeof name !== "string" || typeof problem !== "string") continue;
    const known = operation.params.some((param) => param.name === name) || operation.flags.some((flag) => flag.name === name) ||
      (name.startsWith("flags.") && operation.flags.some((flag) => `flags.${flag.name}` === name));
    if (known) message = message.split(`${name}: ${problem}`).join(`${label(name.replace(/^flags\./, ""))} ${problemInWords(problem)}`);
  }
  message = cliWords(message, operation, label, operations);
  const hint = error.hint === undefined ? undefined : cliWords(error.hint, operation, label, operations);
  if (message === error.message && hint === error.hint) return error;
  error.message = message;
  if (hint !== error.hint) Object.defineProperty(error, "hint", { value: hint, enumerable: true, configurable: true });
  return error;
}

/** An API's "must match ^[a-z]+$" said as the rule ("must be one or more lower-case letters"), never as the regex. */
function problemInWords(problem: string): string {
  const pattern = /^must match (\^.*\$)$/.exec(problem)?.[1];
  if (pattern === undefined) return problem;
  const words = patternInWords(pattern);
  return words === undefined ? "is not in the format its help describes" : `must be ${words}`;
}

/**
 * What the catalog's schema asks of a field, for its flag's help: `(one of: 8.0, 7.2; default: 8.0)`,
 * `(1–5; default: 1)`, `(2–39 lower-case letters, digits and hyphens, starting with a lower-case
 * letter; required)`; empty when the schema says nothing. A pattern that cannot be put in words, nor
 * shown by the description's example, is the one place a regular expression is printed, named as one.
 */
export function fieldRules(param: Pick<Parameter, "type" | "enum" | "pattern" | "default" | "description" | "field" | "required">): string {
  const rules: string[] = [];
  if (param.enum !== undefined && param.enum.length > 0) rules.push(`one of: ${param.enum.join(", ")}`);
  const { minimum, maximum } = param.field;
  if (minimum !== undefined && maximum !== undefined) rules.push(`${minimum}–${maximum}`);
  else if (minimum !== undefined) rules.push(`at least ${minimum}`);
  else if (maximum !== undefined) rules.push(`at most ${maximum}`);
  if (param.pattern !== undefined && param.type === "string") {
    const rule = patternRuleInWords(param.pattern);
    const example = rule === undefined ? patternExample(param.pattern, param.description) : undefined;
    if (rule !== undefined) rules.push(rule);
    else if (example === undefined) rules.push(`format: the regular expression ${param.pattern}`);
    else if (!example.fromDescription) rules.push(`like ${example.value}`);
  }
  const shownDefault = param.type === "boolean" ? param.default === true : param.default !== undefined;
  if (shownDefault) rules.push(`default: ${typeof param.default === "string" ? param.default : JSON.stringify(param.default)}`);
  if (param.required) rules.push("required");
  return rules.length === 0 ? "" : `(${rules.join("; ")})`;
}

