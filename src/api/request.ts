/**
 * Pure: a CallPlan → the ApiRequest RunOS expects. Path placeholders (`:aid`, `:cid`, `:field`)
 * substituted and escaped; GET/DELETE inputs and flags in the query string; POST/PUT/PATCH a JSON body
 * without path fields, dotted keys nested, booleans from `flags` under `"flags": {}`. The plan's values
 * are already checked and typed (policy/call_plan.ts): this module only maps them. The request carries
 * its operation, so the read tiers' write guard can judge what it is.
 */
import { pathSegmentProblem } from "../catalog/arguments.ts";
import { CLUSTER_ID_PATTERN, CLUSTER_ID_RULE } from "../cluster_id.ts";
import { UsageError } from "../errors.ts";
import type { CallPlan } from "../policy/call_plan.ts";
import type { ApiRequest } from "./client.ts";
import { notAuthenticated } from "./login_hint.ts";

/** Who the request is for. */
export interface RequestContext {
  readonly accountId: string;
}

/** The `:cid` segment: only an id reaches a URL (a cluster's name is resolved first, in cluster_names.ts). */
function clusterSegment(clusterId: string): string {
  if (!CLUSTER_ID_PATTERN.test(clusterId)) {
    throw new UsageError(`"${clusterId}" is not a cluster id (${CLUSTER_ID_RULE})`, { hint: "pass a cluster id or name (see `runos clusters list`)" });
  }
  return clusterId;
}

/** Build the request for one planned call. */
export function buildRequest(plan: CallPlan, ctx: RequestContext): ApiRequest {
  const { operation } = plan;
  const path = operation.endpoint.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => {
    if (name === "aid") {
      if (ctx.accountId === "") throw notAuthenticated();
      return pathSegment("the account id", ctx.accountId);
    }
    if (name === "cid") return clusterSegment(plan.clusterId ?? "");
    return pathSegment(name, queryValue(plan.values[name]));
  });
  const pathNames = new Set(operation.params.filter((p) => p.location === "path").map((p) => p.name));
  const rest = Object.entries(plan.values).filter(([name]) => !pathNames.has(name));
  const flags = Object.entries(plan.flags);
  const timeoutMs = timeoutFor(plan.values);
  const base = { method: operation.method, path, operation };

  if (operation.method === "GET" || operation.method === "DELETE") {
    const query: Record<string, string> = {};
    for (const [name, value] of rest) query[name] = queryValue(value);
    for (const [name, value] of flags) query[name] = String(value);
    if (operation.method === "GET") return withOptional({ ...base, query, idempotent: true }, timeoutMs);
    return withOptional({ ...base, query }, timeoutMs);
  }
  const body: Record<string, unknown> = {};
  for (const [name, value] of rest) setDotted(body, name, value);
  if (flags.length > 0) body["flags"] = Object.fromEntries(flags);
  const query: Record<string, string> = {};
  if (operation.method === "PATCH" && operation.verbPath.join("/") === "apps/update") query["merge"] = "true";
  return withOptional({ ...base, query, body }, timeoutMs);
}

function withOptional(request: ApiRequest, timeoutMs: number | undefined): ApiRequest {
  const query = request.query !== undefined && Object.keys(request.query).length === 0 ? undefined : request.query;
  const out: { -readonly [K in keyof ApiRequest]: ApiRequest[K] } = { ...request };
  if (query === undefined) delete out.query;
  if (timeoutMs !== undefined) out.timeoutMs = timeoutMs;
  return out;
}

/** Long-running SQL gets its own deadline: its `timeoutSeconds` (default 60) plus a minute. */
function timeoutFor(values: Readonly<Record<string, unknown>>): number | undefined {
  const seconds = values["timeoutSeconds"];
  return typeof seconds === "number" && seconds > 0 ? (seconds + 60) * 1000 : undefined;
}

/**
 * One path segment: escaped, and never empty, `.` or `..`, which URL resolution would turn into
 * another endpoint (`buckets/..` → the whole store). `name` is how the caller spells the argument.
 */
export function pathSegment(name: string, value: string): string {
  const problem = pathSegmentProblem(value);
  if (problem !== undefined) {
    throw new UsageError(`${name} ${problem}`, { hint: "pass the resource's id or name (list them with the matching list command)" });
  }
  return encodeURIComponent(value);
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
