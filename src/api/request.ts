/**
 * Pure: an Operation plus arguments → the ApiRequest RunOS expects. Path placeholders (`:aid`, `:cid`,
 * `:field`) substituted and escaped; GET/DELETE inputs and flags in the query string; POST/PUT/PATCH a
 * JSON body without path fields, dotted keys nested, booleans from `flags` under `"flags": {}`.
 * Arguments are checked here once: unknown names, missing required ones and wrong types all fail
 * with a UsageError that lists every problem.
 */
import type { Operation, Parameter } from "../catalog/operation.ts";
import { UsageError } from "../errors.ts";
import { CLUSTER_ID_REQUIRED, validateClusterId } from "../cluster_id.ts";
import type { ApiRequest } from "./client.ts";
import { notAuthenticated } from "./client.ts";

/** Who the request is for. */
export interface RequestContext {
  readonly accountId: string;
  /** The default cluster, used when the arguments carry no `cid`. */
  readonly clusterId?: string;
  /** How the caller's face spells an argument in messages (the CLI: `--replicas`); default its name. */
  readonly nameOf?: (name: string) => string;
  /** The next step offered when arguments are invalid; default `runos manifest show <command>`. */
  readonly usageHint?: string;
}

export { CLUSTER_ID_PATTERN, CLUSTER_ID_REQUIRED, validateClusterId } from "../cluster_id.ts";

/** Build the request for one call of `operation`. */
export function buildRequest(operation: Operation, args: Readonly<Record<string, unknown>>, ctx: RequestContext): ApiRequest {
  const flagArgs = flagObject(args, operation);
  const known = new Set<string>([...operation.params.map((p) => p.name), ...operation.flags.map((f) => f.name)]);
  if (operation.scope === "cluster") known.add("cid");
  const acceptsFlagsObject = operation.flags.length > 0 && !known.has("flags");

  const nameOf = ctx.nameOf ?? ((name: string) => name);
  const problems: string[] = [];
  const unknown = Object.keys(args).filter((name) => !known.has(name) && !(acceptsFlagsObject && name === "flags") && args[name] !== undefined);
  if (unknown.length > 0) {
    const valid = [...known].map(nameOf).join(", ") || "(none)";
    problems.push(`unknown argument${unknown.length > 1 ? "s" : ""} ${unknown.map(nameOf).join(", ")} (valid: ${valid})`);
  }
  const missing = operation.params.filter((p) => p.required && args[p.name] === undefined).map((p) => nameOf(p.name));
  if (missing.length > 0) problems.push(`missing required argument${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`);

  const values = new Map<string, unknown>();
  for (const param of operation.params) {
    const raw = args[param.name];
    if (raw === undefined) continue;
    const coerced = coerce(param, raw);
    if (coerced.ok) values.set(param.name, coerced.value);
    else problems.push(`${nameOf(param.name)}: ${coerced.problem}`);
  }
  const flags = new Map<string, boolean>();
  for (const flag of operation.flags) {
    const raw = flagArgs[flag.name];
    if (raw === undefined) continue;
    const value = toBoolean(raw);
    if (value === undefined) problems.push(`${nameOf(flag.name)}: expected true or false`);
    else flags.set(flag.name, value);
  }
  if (problems.length > 0) {
    throw new UsageError(`invalid arguments for ${operation.command}: ${problems.join("; ")}`, {
      hint: ctx.usageHint ?? `see \`runos manifest show ${operation.command}\``,
      details: { problems },
    });
  }

  const path = substitutePath(operation, values, args, ctx);
  const pathNames = new Set(operation.params.filter((p) => p.location === "path").map((p) => p.name));
  const rest = [...values].filter(([name]) => !pathNames.has(name));
  const timeoutMs = timeoutFor(values);

  if (operation.method === "GET" || operation.method === "DELETE") {
    const query: Record<string, string> = {};
    for (const [name, value] of rest) query[name] = queryValue(value);
    for (const [name, value] of flags) query[name] = String(value);
    if (operation.method === "GET") return withOptional({ method: operation.method, path, query, idempotent: true }, timeoutMs);
    return withOptional({ method: operation.method, path, query }, timeoutMs);
  }
  const body: Record<string, unknown> = {};
  for (const [name, value] of rest) setDotted(body, name, value);
  if (flags.size > 0) body["flags"] = Object.fromEntries(flags);
  const query: Record<string, string> = {};
  if (operation.method === "PATCH" && operation.verbPath.join("/") === "apps/update") query["merge"] = "true";
  return withOptional({ method: operation.method, path, query, body }, timeoutMs);
}

function withOptional(request: ApiRequest, timeoutMs: number | undefined): ApiRequest {
  const query = request.query !== undefined && Object.keys(request.query).length === 0 ? undefined : request.query;
  const out: { -readonly [K in keyof ApiRequest]: ApiRequest[K] } = { ...request };
  if (query === undefined) delete out.query;
  if (timeoutMs !== undefined) out.timeoutMs = timeoutMs;
  return out;
}

/** Long-running SQL gets its own deadline: its `timeoutSeconds` (default 60) plus a minute. */
function timeoutFor(values: Map<string, unknown>): number | undefined {
  const seconds = values.get("timeoutSeconds");
  return typeof seconds === "number" && seconds > 0 ? (seconds + 60) * 1000 : undefined;
}

/** Flags may come as top-level booleans or grouped under `flags`. */
function flagObject(args: Readonly<Record<string, unknown>>, operation: Operation): Record<string, unknown> {
  const grouped = args["flags"];
  const fromGroup = grouped !== null && typeof grouped === "object" && !operation.params.some((p) => p.name === "flags")
    ? grouped as Record<string, unknown>
    : {};
  const out: Record<string, unknown> = { ...fromGroup };
  for (const flag of operation.flags) if (args[flag.name] !== undefined) out[flag.name] = args[flag.name];
  return out;
}

/**
 * One path segment: escaped, and never empty, `.` or `..`, which URL resolution would turn into
 * another endpoint (`buckets/..` → the whole store). `name` is how the caller spells the argument.
 */
export function pathSegment(name: string, value: string): string {
  if (value === "" || value === "." || value === "..") {
    throw new UsageError(`${name} cannot be ${value === "" ? "empty" : `"${value}"`}: it must name one resource`, {
      hint: "pass the resource's id or name (list them with the matching list command)",
    });
  }
  return encodeURIComponent(value);
}

function substitutePath(operation: Operation, values: Map<string, unknown>, args: Readonly<Record<string, unknown>>, ctx: RequestContext): string {
  const nameOf = ctx.nameOf ?? ((name: string) => name);
  return operation.endpoint.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => {
    if (name === "aid") {
      if (ctx.accountId === "") throw notAuthenticated();
      return pathSegment("the account id", ctx.accountId);
    }
    if (name === "cid") {
      const given = args["cid"];
      const cid = given !== undefined && given !== "" ? String(given) : ctx.clusterId;
      if (cid === undefined || cid === "") throw new UsageError(CLUSTER_ID_REQUIRED, { hint: "list your clusters with `runos clusters list`" });
      return encodeURIComponent(validateClusterId(cid));
    }
    return pathSegment(nameOf(name), queryValue(values.get(name)));
  });
}

function queryValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => (typeof item === "object" ? JSON.stringify(item) : String(item))).join(",");
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** `providerConfig.location` → `{ providerConfig: { location } }`. */
function setDotted(target: Record<string, unknown>, name: string, value: unknown): void {
  const keys = name.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== "object" || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  return undefined;
}

type Coerced = { ok: true; value: unknown } | { ok: false; problem: string };

/** Half of a UTF-16 surrogate pair without its other half: not text, and not encodable in a URL. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Coerce CLI strings and check MCP values against the parameter's type, enum and pattern. */
export function coerce(param: Parameter, raw: unknown): Coerced {
  const typed = coerceType(param, raw);
  if (!typed.ok) return typed;
  const value = typed.value;
  if (param.enum !== undefined && param.enum.length > 0 && !param.enum.some((option) => option === value || String(option) === String(value))) {
    return { ok: false, problem: `expected one of ${param.enum.join(", ")}, got ${JSON.stringify(value)}` };
  }
  if (param.pattern !== undefined && typeof value === "string" && !safeRegExp(param.pattern).test(value)) {
    return { ok: false, problem: `${JSON.stringify(value)} does not match ${param.pattern}` };
  }
  const { minimum, maximum } = param.field;
  if (typeof value === "number" && minimum !== undefined && value < minimum) return { ok: false, problem: `must be at least ${minimum}` };
  if (typeof value === "number" && maximum !== undefined && value > maximum) return { ok: false, problem: `must be at most ${maximum}` };
  return { ok: true, value };
}

function coerceType(param: Parameter, raw: unknown): Coerced {
  switch (param.type) {
    case "string":
      if (typeof raw === "string") {
        return LONE_SURROGATE.test(raw) ? { ok: false, problem: "contains an invalid Unicode sequence (an unpaired surrogate)" } : { ok: true, value: raw };
      }
      if (typeof raw === "number" || typeof raw === "boolean") return { ok: true, value: String(raw) };
      return { ok: false, problem: "expected a string" };
    case "integer":
    case "number": {
      const value = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
      if (!Number.isFinite(value)) return { ok: false, problem: `expected ${param.type === "integer" ? "an integer" : "a number"}, got ${JSON.stringify(raw)}` };
      if (param.type === "integer" && !Number.isInteger(value)) return { ok: false, problem: `expected an integer, got ${JSON.stringify(raw)}` };
      return { ok: true, value };
    }
    case "boolean": {
      const value = toBoolean(raw);
      return value === undefined ? { ok: false, problem: "expected true or false" } : { ok: true, value };
    }
    case "array":
      if (Array.isArray(raw)) return { ok: true, value: raw };
      if (typeof raw === "string") return parseJsonOr(raw, "array", () => raw === "" ? [] : raw.split(",").map((item) => item.trim()));
      return { ok: false, problem: "expected an array" };
    case "object":
      if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) return { ok: true, value: raw };
      if (typeof raw === "string") return parseJsonOr(raw, "object", () => keyValuePairs(raw));
      return { ok: false, problem: "expected an object" };
  }
}

function parseJsonOr(text: string, kind: "array" | "object", fallback: () => unknown): Coerced {
  const trimmed = text.trim();
  if (trimmed.startsWith(kind === "array" ? "[" : "{")) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (kind === "array" ? Array.isArray(value) : value !== null && typeof value === "object" && !Array.isArray(value)) return { ok: true, value };
    } catch {
      return { ok: false, problem: `expected JSON ${kind}` };
    }
  }
  const value = fallback();
  return value === undefined ? { ok: false, problem: `expected ${kind === "array" ? "a JSON array or a,b,c" : "a JSON object or KEY=VALUE,…"}` } : { ok: true, value };
}

/** `A=1,B=2` → `{A: "1", B: "2"}`; undefined when a pair has no `=`. */
function keyValuePairs(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const pair of text.split(",").filter((item) => item.trim() !== "")) {
    const index = pair.indexOf("=");
    if (index <= 0) return undefined;
    out[pair.slice(0, index).trim()] = pair.slice(index + 1);
  }
  return out;
}

function safeRegExp(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch {
    return /[\s\S]*/;
  }
}
