/**
 * Secrets on the CLI: a secret-valued field given as `-` is read from standard input (a hidden
 * prompt on a terminal), so it stays out of shell history and `ps`; a secret the API shows only once
 * (a new API key's token, a new user's password) gets a note on stderr saying so.
 */
import process from "node:process";
import { text as readStreamText } from "node:stream/consumers";
import type { Operation, Parameter } from "../catalog/operation.ts";
import { UsageError } from "../errors.ts";
import { isSensitiveKey } from "../redact/redact.ts";
import { isSecretSegment } from "../policy/secret_verbs.ts";
import type { CliContext } from "./context.ts";
import { askSecret } from "./prompt.ts";
import { verbOf } from "./wording.ts";

/** A field whose value is a secret (a password, a token, a secret's value): `-` reads it from stdin. */
export function isSecretField(operation: Operation, param: Parameter): boolean {
  if (param.type !== "string") return false;
  if (isSensitiveKey(param.name)) return true;
  return param.name === "value" && operation.verbPath.some(isSecretSegment);
}

/** Seams of a verb's run that touch the terminal: reading a secret given as `-`. */
export interface VerbIo {
  /** Read standard input to its end. */
  readStdin(): Promise<string>;
  /** Ask for a secret without echo (on a terminal). */
  askSecret(question: string): Promise<string>;
}

/** The real terminal. */
export const processVerbIo: VerbIo = {
  readStdin: () => readStreamText(process.stdin),
  askSecret,
};

/**
 * Replace the secret field given as `-` by what standard input holds (one trailing newline dropped),
 * or by a hidden prompt on a terminal; `label` spells a field as its flag (`--value`).
 */
export async function readSecretsFromStdin(operation: Operation, args: Record<string, unknown>, io: VerbIo, context: CliContext, label: (name: string) => string): Promise<void> {
  const dashed = operation.params.filter((param) => args[param.name] === "-" && isSecretField(operation, param));
  if (dashed.length > 1) {
    throw new UsageError(`only one value can come from standard input; got - for ${dashed.map((param) => label(param.name)).join(" and ")}`);
  }
  const param = dashed[0];
  if (param === undefined) return;
  const flag = label(param.name);
  const text = context.tty?.stdin === true ? await io.askSecret(`${flag}: `) : (await io.readStdin()).replace(/\r?\n$/, "");
  if (text === "") throw new UsageError(`${flag} - read nothing from standard input`, { hint: `pipe the value in, e.g. \`printf %s "$VALUE" | ${verbOf(operation)} … ${flag} -\`` });
  args[param.name] = text;
}

/**
 * The secrets a creating call answered with (a new API key's `token`, a new user's `password`), which
 * the API will not show again; reads (`credentials`) are left out, they can be asked again.
 */
export function oneTimeSecrets(operation: Pick<Operation, "method">, result: unknown): string[] {
  if (operation.method === "GET" || result === null || typeof result !== "object" || Array.isArray(result)) return [];
  const found: string[] = [];
  const visit = (value: Record<string, unknown>, depth: number) => {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === "string" && item !== "" && item !== "[redacted]" && isSensitiveKey(key)) found.push(key);
      else if (depth < 2 && item !== null && typeof item === "object" && !Array.isArray(item)) visit(item as Record<string, unknown>, depth + 1);
    }
  };
  visit(result as Record<string, unknown>, 0);
  return [...new Set(found)];
}

function listNames(names: readonly string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** The stderr note for the one-time secrets of a result, or undefined when there are none. */
export function oneTimeSecretsNote(operation: Pick<Operation, "method">, result: unknown): string | undefined {
  const once = oneTimeSecrets(operation, result);
  if (once.length === 0) return undefined;
  const one = once.length === 1;
  return `Note: ${listNames(once.map((key) => `the ${key}`))} above ${one ? "is" : "are"} shown only once: save ${one ? "it" : "them"} now, RunOS cannot show ${one ? "it" : "them"} again.`;
}
