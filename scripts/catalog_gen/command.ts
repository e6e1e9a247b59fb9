/**
 * One generated catalog command, from a compact spec to RunOS's wire shape: `{command, description,
 * endpoint, method, mcp, returnsJob?, input: {fields, flags}, output}`, keys in that order so the
 * fixture's bytes are stable. Tier tags follow RunOS's habit: no inheritance, a read command is `read`.
 */
import type { Command, Field, Flag } from "../../src/catalog/schema.ts";
import { flagName, placeholders, verbPath } from "../../src/catalog/naming.ts";
import { describe, type LengthClass } from "./prose.ts";
import type { Topic } from "./prose_topics.ts";

/** Which servers a command is tagged for, in RunOS's combinations. */
export type Tier = "read" | "write" | "write+sensitive" | "sensitive_read" | "sensitive_write";

const TAGS: Readonly<Record<Tier, readonly string[]>> = {
  "read": ["read"],
  "write": ["write"],
  "write+sensitive": ["write", "sensitive_write"],
  "sensitive_read": ["sensitive_read"],
  "sensitive_write": ["sensitive_write"],
};

/** An output field: a bare name or a described one. */
export type OutputField = string | { readonly name: string; readonly type?: string; readonly description?: string };

/** A command's output shape. */
export interface Output {
  readonly type: "object" | "array";
  readonly fields: readonly OutputField[];
}

/** What a generated command is made of. */
export interface CommandSpec {
  readonly command: string;
  readonly endpoint: string;
  readonly method: Command["method"];
  readonly tier: Tier;
  /** First sentence(s) of the description. */
  readonly summary: string;
  readonly topics?: readonly Topic[];
  readonly blurb?: string;
  readonly example?: string;
  readonly length?: LengthClass;
  readonly returnsJob?: boolean;
  readonly fields?: readonly Field[];
  readonly flags?: readonly Flag[];
  readonly output?: Output;
}

/** The output field every job-starting command declares. */
export const JOB_ID: OutputField = { name: "jobId", type: "string", description: "UUID of the background job; follow it with `runos follow <jobId>`." };

/** A CLI example for a command: its verbs, placeholders as `<name>`, required fields as flags. */
export function exampleOf(spec: Pick<CommandSpec, "command" | "fields">): string {
  const positional = new Set(placeholders(spec.command));
  const words = ["runos", ...verbPath(spec.command), ...placeholders(spec.command).filter((name) => name !== "cid").map((name) => `<${name}>`)];
  for (const field of spec.fields ?? []) {
    if (field.required !== true || positional.has(field.name) || field.positional === true) continue;
    const value = field.enum?.[0] ?? (field.type === "integer" ? 1 : `<${field.name}>`);
    words.push(`--${flagName(field.name)} ${value}`);
  }
  return `\`${words.join(" ")}\``;
}

/** Sentences that make a too-short summary a full description: scope, effect, job. */
function tailsOf(spec: CommandSpec): string[] {
  const tails: string[] = [];
  if (spec.returnsJob === true) tails.push("Runs as a background job and answers with its jobId.");
  else if (spec.method === "GET") tails.push("Read-only: it changes nothing.");
  else tails.push("Takes effect at once; no job is started.");
  if (spec.endpoint.startsWith("/:aid/:cid/")) tails.push("The cid argument picks the cluster; the configured one by default.");
  else if (spec.endpoint.startsWith("/:aid/")) tails.push("Account-wide: not tied to one cluster.");
  else tails.push("Needs no account.");
  return tails;
}

/** Build the wire command of a spec. */
export function command(spec: CommandSpec): Command {
  const description = describe({
    tails: tailsOf(spec),
    key: spec.command,
    summary: spec.summary,
    topics: spec.topics,
    blurb: spec.blurb,
    example: spec.example ?? exampleOf(spec),
    length: spec.length,
  });
  return {
    command: spec.command,
    description,
    endpoint: spec.endpoint,
    method: spec.method,
    mcp: [...TAGS[spec.tier]],
    ...(spec.returnsJob === true ? { returnsJob: true } : {}),
    input: { fields: [...(spec.fields ?? [])], flags: [...(spec.flags ?? [])] },
    output: { type: spec.output?.type ?? "object", fields: [...(spec.output?.fields ?? [])] },
  };
}
