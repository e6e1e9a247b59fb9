/**
 * Valid sample arguments for every catalog command, built on the fixture ids in fixtures/state/*.json
 * (cluster `i4y`, PostgreSQL `users-db` = `k7m2p`, Valkey `cache` = `v4n8x`, MinIO `assets` = `m3b9z`,
 * app `web` = `a1web`, …), so end-to-end tests can call every tool as a model would. Also: the request
 * a call should produce, and which logged requests count as mutations.
 */
import type { Operation } from "../../src/catalog/operation.ts";
import type { Clock } from "../../src/fake_api/clock.ts";
import type { CallToolResult, Client, Tool } from "@modelcontextprotocol/client";

/** The fixture cluster most examples use ("production"). */
export const CLUSTER = "i4y";
/** Fixture ids, by what they are. */
export const IDS = {
  usersDb: "k7m2p",
  ordersDb: "q8d3w",
  cache: "v4n8x",
  assets: "m3b9z",
  web: "a1web",
  worker: "a3wrk",
  controlPlaneNode: "n1cpa",
  /** Resources in cluster `dev7` that no app uses, so deleting them needs no cascade. */
  scratchDb: "d1pg9",
  devStore: "d4mn7",
  devCluster: "dev7",
  /** Staging Valkey, used only by the staging app. */
  sessionCache: "s5vk2",
  stagingCluster: "stg01",
  laptopKey: "key3d",
  completedJob: "0b7f4d2e-5c1a-4f0e-9a51-3f2b8c6d1e90",
} as const;

const c = { cid: CLUSTER };

/** Sample arguments keyed by catalog command path (no `confirm`: callers add it where the tool asks). */
export const SAMPLE_ARGS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  "account/show": {},
  "clusters/list": {},
  "clusters/{cid}/show": { ...c },
  "nodes/list": { ...c },
  "nodes/{id}/show": { ...c, id: IDS.controlPlaneNode },
  "services/types": {},
  "services/list": { ...c },
  "services/postgresql/add": { ...c, name: "e2e-pg", version: "16", storageGb: 10, replicas: 1 },
  "services/postgresql/list": { ...c },
  "services/postgresql/{id}/show": { ...c, id: IDS.usersDb },
  "services/postgresql/{id}/status": { ...c, id: IDS.usersDb },
  "services/postgresql/{id}/update": { ...c, id: IDS.usersDb, storageGb: 60 },
  "services/postgresql/{id}/delete": { cid: IDS.devCluster, id: IDS.scratchDb },
  "services/postgresql/{id}/credentials": { ...c, id: IDS.usersDb },
  "services/postgresql/{id}/rotate-credentials": { ...c, id: IDS.ordersDb },
  "services/postgresql/{id}/exec-sql": { ...c, id: IDS.usersDb, query: "SELECT count(*) AS n FROM users" },
  "services/postgresql/{id}/databases": { ...c, id: IDS.usersDb },
  "services/postgresql/{id}/create-database": { ...c, id: IDS.usersDb, name: "e2e_db" },
  "services/postgresql/{id}/users": { ...c, id: IDS.usersDb },
  "services/postgresql/{id}/create-user": { ...c, id: IDS.usersDb, username: "e2e_user", database: "postgres", privileges: "readonly" },
  "services/valkey/add": { ...c, name: "e2e-cache", replicas: 2 },
  "services/valkey/list": { ...c },
  "services/valkey/{id}/show": { ...c, id: IDS.cache },
  "services/valkey/{id}/status": { ...c, id: IDS.cache },
  "services/valkey/{id}/logs": { ...c, id: IDS.cache },
  "services/valkey/{id}/update": { ...c, id: IDS.cache, replicas: 4 },
  "services/valkey/{id}/delete": { cid: IDS.stagingCluster, id: IDS.sessionCache },
  "services/valkey/{id}/credentials": { ...c, id: IDS.cache },
  "services/valkey/{id}/rotate-credentials": { ...c, id: IDS.cache },
  "services/minio/add": { ...c, name: "e2e-store", storageGb: 20 },
  "services/minio/list": { ...c },
  "services/minio/{id}/show": { ...c, id: IDS.assets },
  "services/minio/{id}/status": { ...c, id: IDS.assets },
  "services/minio/{id}/update": { ...c, id: IDS.assets, storageGb: 300 },
  "services/minio/{id}/delete": { cid: IDS.devCluster, id: IDS.devStore },
  "services/minio/{id}/credentials": { ...c, id: IDS.assets },
  "services/minio/{id}/rotate-credentials": { ...c, id: IDS.assets },
  "services/minio/{id}/buckets": { ...c, id: IDS.assets },
  "services/minio/{id}/create-bucket": { ...c, id: IDS.assets, name: "e2e-bucket", access: "private" },
  "services/minio/{id}/delete-bucket": { cid: IDS.devCluster, id: IDS.devStore, bucket: "scratch", force: true },
  "apps/list": { ...c },
  "apps/{id}/show": { ...c, id: IDS.web },
  "apps/{id}/status": { ...c, id: IDS.web },
  "apps/add": { ...c, name: "e2e-app", repository: "https://github.com/acme/e2e", branch: "main", port: 8080, replicas: 1 },
  "apps/{id}/deploy": { ...c, id: IDS.web, sha: "9f3c2a1" },
  "apps/{id}/delete": { ...c, id: IDS.worker },
  "apps/{id}/deployments": { ...c, id: IDS.web, limit: 2 },
  "apps/{id}/env-vars/list": { ...c, id: IDS.web },
  "apps/{id}/env-vars/set": { ...c, id: IDS.web, vars: { FEATURE_E2E: "on" } },
  "apps/{id}/secrets/list": { ...c, id: IDS.web },
  "apps/{id}/secrets/reveal": { ...c, id: IDS.web },
  "apps/{id}/secrets/set": { ...c, id: IDS.web, name: "E2E_FLAG", value: "e2e-not-a-secret" },
  "apps/{id}/secrets/{name}/delete": { ...c, id: IDS.web, name: "SESSION_SECRET" },
  "account/api-keys/list": {},
  "account/api-keys/add": { name: "e2e-key" },
  "account/api-keys/{id}/revoke": { id: IDS.laptopKey },
  "jobs/list": {},
  "jobs/{id}/show": { id: IDS.completedJob },
};

/** The sample arguments of `operation`; throws for a command this table does not know yet. */
export function sampleArgs(operation: Pick<Operation, "command">): Record<string, unknown> {
  const args = SAMPLE_ARGS[operation.command];
  if (args === undefined) throw new Error(`no sample arguments for "${operation.command}": add them to tests/_harness/sample_args.ts`);
  return { ...args };
}

/** A tool's input schema as listed, enough to see which arguments it accepts. */
export interface ListedSchema {
  readonly properties?: Record<string, unknown>;
  readonly required?: readonly string[];
}

/**
 * Sample arguments fitted to a tool as one tier lists it: `confirm: true` where the tool has a
 * `confirm` argument (the user's agreement: {@link callCapturing} turns it into the preview's token),
 * and arguments it does not accept dropped (e.g. `cid` on a global tool).
 */
export function argsForTool(operation: Pick<Operation, "command">, schema: ListedSchema): Record<string, unknown> {
  const properties = schema.properties ?? {};
  const args = Object.fromEntries(Object.entries(sampleArgs(operation)).filter(([name]) => name in properties));
  if ("confirm" in properties) args.confirm = true;
  return args;
}

/** The path a call of `operation` with `args` must reach: the endpoint with every placeholder filled. */
export function expectedPath(operation: Pick<Operation, "endpoint">, args: Record<string, unknown>, accountId: string, defaultCluster?: string): string {
  return operation.endpoint.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => {
    const value = name === "aid" ? accountId : name === "cid" ? (args.cid ?? defaultCluster) : args[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${operation.endpoint}`);
    return encodeURIComponent(String(value));
  });
}

/** One request as the fake API logged it (the fields the sweeps need). */
export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly status?: number;
}

/**
 * Whether a logged request could have changed state: any PUT, PATCH or DELETE, and every POST except
 * a read-only `exec-sql` (no `flags.readWrite: true` in its body).
 */
export function isMutatingRequest(request: LoggedRequest): boolean {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return false;
  if (request.method !== "POST") return true;
  if (!request.path.endsWith("/exec-sql")) return true;
  return readWriteFlag(request.body) === true;
}

/** The `flags.readWrite` of a JSON body, if any. */
export function readWriteFlag(body: unknown): unknown {
  if (typeof body !== "object" || body === null) return undefined;
  const flags = (body as { flags?: unknown }).flags;
  if (typeof flags !== "object" || flags === null) return undefined;
  return (flags as { readWrite?: unknown }).readWrite;
}

/** Sample arguments of runos's built-in tools, keyed by tool name. */
export const BUILTIN_SAMPLE_ARGS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  manifest_update: {},
  jobs_follow: { jobId: IDS.completedJob, timeoutSeconds: 5 },
  preview_destructive: { tool: "services_valkey_delete", arguments: { cid: CLUSTER, id: IDS.cache } },
};

/**
 * A wall clock running `factor` times faster, for the fake API over HTTP: its jobs (seconds of
 * simulated work) finish in tens of milliseconds, so tools that wait for them return quickly.
 */
export function fastClock(factor = 100): Clock {
  const start = Date.now();
  let skew = 0;
  return {
    now: () => start + (Date.now() - start) * factor + skew,
    advance: (ms: number) => {
      skew += ms;
    },
  };
}

/** One call of a sweep: what was sent and what came back (a result, or a protocol error's text). */
export interface SweepCall {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly result?: CallToolResult;
  /** A destructive call's preview, answered before the call with its token. */
  readonly preview?: CallToolResult;
  readonly thrown?: string;
}

/**
 * Call every tool `client` lists, once each, with its sample arguments (`confirm: true` where the tool
 * asks), in listing order and with `manifest_update` last; then every tool that update brought in.
 * Catalog tools come from `operations` (matched by tool name); a tool with no sample is an error.
 */
export async function sweepListedTools(client: Client, operations: readonly Pick<Operation, "command" | "toolName">[]): Promise<SweepCall[]> {
  const calls: SweepCall[] = [];
  const done = new Set<string>();
  const byTool = new Map(operations.map((operation) => [operation.toolName, operation]));
  const callAll = async (tools: readonly Tool[]) => {
    const ordered = [...tools.filter((tool) => tool.name !== "manifest_update"), ...tools.filter((tool) => tool.name === "manifest_update")];
    for (const tool of ordered) {
      if (done.has(tool.name)) continue;
      done.add(tool.name);
      const operation = byTool.get(tool.name);
      const builtin = BUILTIN_SAMPLE_ARGS[tool.name];
      if (operation === undefined && builtin === undefined) throw new Error(`no sample arguments for tool ${tool.name}`);
      const args = operation !== undefined ? argsForTool(operation, tool.inputSchema as ListedSchema) : { ...builtin };
      calls.push(await callCapturing(client, tool.name, args));
    }
  };
  await callAll((await client.listTools()).tools);
  await callAll((await client.listTools()).tools);
  return calls;
}

/**
 * Call one tool, keeping a protocol error's text instead of throwing. `confirm: true` stands for a
 * user who agrees: the call is made without it, and when that answers a preview, made again with its
 * token, as a model does once the user agreed.
 */
export async function callCapturing(client: Client, name: string, args: Record<string, unknown>): Promise<SweepCall> {
  try {
    if (args.confirm === true) {
      const { confirm: _agreed, ...unconfirmed } = args;
      const preview = await client.callTool({ name, arguments: unconfirmed });
      const token = (preview.structuredContent as { confirm?: unknown } | undefined)?.confirm;
      if (typeof token !== "string") return { name, args: unconfirmed, result: preview };
      const confirmed = { ...unconfirmed, confirm: token };
      return { name, args: confirmed, preview, result: await client.callTool({ name, arguments: confirmed }) };
    }
    return { name, args, result: await client.callTool({ name, arguments: args }) };
  } catch (error) {
    return { name, args, thrown: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}
