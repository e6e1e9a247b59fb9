/**
 * What a destructive call would act on, read from the API before it runs: the action, the cluster, the
 * resource as the catalog's own reader shows it (`services/valkey/{id}/show` for
 * `services/valkey/{id}/delete` or `…/{id}/reset`), what depends on it, the arguments that shape the
 * damage (an SQL statement, `force`), and that it cannot be undone. The user answers on this, in an
 * elicitation or through the model; the call runs only after that (confirm_token.ts).
 */
import type { Operation } from "../../catalog/operation.ts";
import type { CallPlan } from "../../policy/call_plan.ts";
import { decide, redactsSecrets } from "../../policy/decide.ts";
import { SERVER_NAMES, type Tier } from "../../policy/tier.ts";

/** A destructive call's preview. */
export interface Preview {
  /** "services valkey delete id=v4n8x cid=i4y". */
  readonly action: string;
  /** The server that would run it. */
  readonly server: string;
  readonly cluster?: string;
  /** The other arguments it would run with (path values are in `action`). */
  readonly with?: Readonly<Record<string, unknown>>;
  /** The target as its reader shows it: its top-level plain fields. */
  readonly target?: Readonly<Record<string, unknown>>;
  /** What uses the target (the reader's `usedBy`, `dependents`, …). */
  readonly dependents?: readonly unknown[];
  /** Why the target could not be read, when it could not. */
  readonly unread?: string;
  readonly irreversible: true;
}

/** Fields a reader names what depends on a resource with. */
const DEPENDENT_FIELDS = ["usedBy", "dependents", "dependencies", "consumers", "attachedTo", "boundTo"];

/** The most plain fields of the target a preview shows. */
const MAX_TARGET_FIELDS = 12;

/**
 * The catalog's reader of what `operation` acts on: a GET of the same endpoint, or of the endpoint
 * without its last literal segment (`…/:id/reset` → `…/:id`), readable on the read tier of the same
 * secrecy as `tier`. Undefined when the catalog has none.
 */
export function readerOf(operation: Operation, operations: readonly Operation[], tier: Tier): Operation | undefined {
  const endpoints = [operation.endpoint];
  const last = operation.endpoint.lastIndexOf("/");
  if (last > 0 && !operation.endpoint.slice(last + 1).startsWith(":")) endpoints.push(operation.endpoint.slice(0, last));
  const readingTier: Tier = redactsSecrets(tier) ? "read" : "sensitive-read";
  for (const endpoint of endpoints) {
    const reader = operations.find((candidate) => candidate.method === "GET" && candidate.endpoint === endpoint && decide(readingTier, candidate).kind === "allow");
    if (reader !== undefined) return reader;
  }
  return undefined;
}

/** The reader's arguments for the call `plan` would make: its path values and cluster. */
export function readerArguments(reader: Operation, plan: CallPlan): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const param of reader.params) {
    if (param.location === "path" && plan.values[param.name] !== undefined) args[param.name] = plan.values[param.name];
  }
  if (reader.scope === "cluster" && plan.clusterId !== undefined) args["cid"] = plan.clusterId;
  return args;
}

/** The preview of `plan` on `tier`, from what its reader answered (`read`), or why it could not read. */
export function previewOf(tier: Tier, plan: CallPlan, read: { value: unknown } | { error: string } | undefined): Preview {
  const pathNames = new Set(plan.operation.params.filter((param) => param.location === "path").map((param) => param.name));
  const given = { ...Object.fromEntries(Object.entries(plan.values).filter(([name]) => !pathNames.has(name))), ...plan.flags };
  const value = read !== undefined && "value" in read ? read.value : undefined;
  const record = value !== null && typeof value === "object" && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  const dependents = record === undefined ? undefined : DEPENDENT_FIELDS.map((field) => record[field]).find((item): item is unknown[] => Array.isArray(item));
  const target = record === undefined ? undefined : Object.fromEntries(
    Object.entries(record).filter(([, item]) => item === null || typeof item !== "object").slice(0, MAX_TARGET_FIELDS),
  );
  return {
    action: plan.confirmation.target,
    server: SERVER_NAMES[tier],
    ...(plan.clusterId === undefined ? {} : { cluster: plan.clusterId }),
    ...(Object.keys(given).length === 0 ? {} : { with: given }),
    ...(target === undefined ? {} : { target }),
    ...(dependents === undefined ? {} : { dependents }),
    ...(read !== undefined && "error" in read ? { unread: read.error } : {}),
    irreversible: true,
  };
}

/** The longest question a person is asked; a longer preview is shown to the model whole instead. */
const MAX_QUESTION_CHARS = 4_000;

/**
 * The preview as a question for a person (an elicitation, a terminal prompt), or undefined when it
 * cannot be asked whole: nothing that shapes the damage (an SQL statement) is ever cut short. Text
 * from the API is quoted, on one line, so a resource's name cannot pose as the question's own words.
 */
export function previewQuestion(preview: Preview): string | undefined {
  const lines = [`Allow ${preview.action} on \`${preview.server}\`${preview.cluster === undefined ? "" : ` (cluster ${preview.cluster})`}?`];
  const target = preview.target;
  if (target !== undefined) {
    const name = [target["name"], target["type"], target["status"]].filter((item) => item !== undefined && item !== null && item !== "").map(quoted);
    if (name.length > 0) lines.push(`Target: ${name.join(", ")}.`);
  }
  if (preview.dependents !== undefined && preview.dependents.length > 0) {
    lines.push(`Used by ${preview.dependents.length}: ${preview.dependents.slice(0, 10).map(nameOf).join(", ")}${preview.dependents.length > 10 ? ", …" : ""}.`);
  }
  if (preview.with !== undefined) lines.push(`With: ${JSON.stringify(preview.with)}`);
  if (preview.unread !== undefined) lines.push(`The target could not be read first: ${quoted(preview.unread)}.`);
  lines.push("This cannot be undone.");
  const question = lines.join("\n");
  return question.length <= MAX_QUESTION_CHARS ? question : undefined;
}

/** API text for a question: JSON-quoted (so on one line, control characters escaped), at most 120 characters. */
function quoted(value: unknown): string {
  const text = String(value);
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 119)}…` : text);
}

function nameOf(item: unknown): string {
  if (item !== null && typeof item === "object") {
    const record = item as Record<string, unknown>;
    const name = record["name"] ?? record["id"];
    const kind = record["type"] ?? record["kind"];
    if (name !== undefined) return kind === undefined ? quoted(name) : `${quoted(kind)} ${quoted(name)}`;
    return JSON.stringify(item).slice(0, 120);
  }
  return quoted(item);
}
