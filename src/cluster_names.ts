/**
 * Clusters by name: people know their clusters by name, the API by id. Wherever a cluster id is taken
 * (`--cid`, a positional cid, the profile's default cluster, RUNOS_CLUSTER_ID, the MCP `cid`), a name
 * works too; {@link onCluster} turns it into the id at the call, looked up with the catalog's
 * `clusters list`. The list is remembered for an hour per profile beside the catalog cache, so an id
 * already seen costs nothing, and an id-shaped value is sent as it is: only a 404 makes it looked up.
 */
import { join } from "node:path";
import { readTextIfExists, writeFileAtomic } from "./atomic_write.ts";
import type { ApiClient } from "./api/client.ts";
import { pathSegment } from "./api/request.ts";
import { rowsOf } from "./api/rows.ts";
import type { Operation } from "./catalog/operation.ts";
import type { Face } from "./policy/call_plan.ts";
import { CLUSTER_ID_PATTERN, CLUSTER_ID_RULE } from "./cluster_id.ts";
import { NotFoundError, UsageError } from "./errors.ts";

/** Options of {@link onCluster} and {@link resolveClusterId}. */
export interface LookupOptions {
  readonly now?: () => number;
  /** Who asks, so an error says where clusters are listed in its words (default: a model, over MCP). */
  readonly face?: Face;
}

/**
 * Where the asker finds the clusters: a person runs `runos clusters list`; over MCP the words name the
 * tool as well (unchanged since before the CLI had its own).
 */
const LIST_CLUSTERS_HINT: Readonly<Record<Face, string>> = {
  cli: "pass a cluster id or name (see `runos clusters list`)",
  mcp: "pass a cluster id or name (see `runos clusters list`, or clusters_list over MCP)",
};

/** How long a remembered cluster list is trusted. */
export const CLUSTER_LIST_TTL_MS = 60 * 60 * 1000;

/** What looking clusters up needs of a session: its client and account, and where to remember the list (none in the sandbox). */
export interface ClusterLookup {
  readonly client: ApiClient;
  readonly accountId?: string;
  readonly profile?: string;
  readonly cacheDir?: string;
}

/**
 * Run `call` on the cluster `value` (an id or a name) stands for. A value the remembered list knows,
 * or one not shaped like an id, is resolved first ({@link resolveClusterId}); one shaped like an id
 * goes out as it is, and only when the API answers 404 is it looked up: when it is another cluster's
 * name the call is made again on that id (the 404 changed nothing), when it is no cluster's id or
 * name the error lists the clusters, and when it is an id the API's 404 stands.
 */
export async function onCluster<T>(
  value: string,
  session: ClusterLookup,
  clustersList: Operation | undefined,
  call: (clusterId: string) => Promise<T>,
  options: LookupOptions = {},
): Promise<T> {
  const now = options.now ?? Date.now;
  const remembered = await rememberedFor(session, now());
  const hit = remembered === undefined ? undefined : match(value, remembered);
  if (hit !== undefined) return await call(hit);
  if (!CLUSTER_ID_PATTERN.test(value)) return await call(await resolveClusterId(value, session, clustersList, options));
  try {
    return await call(value);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    const id = await resolveClusterId(value, session, clustersList, options);
    if (id === value) throw error;
    return await call(id);
  }
}

/** One cluster as far as naming goes. */
export interface ClusterName {
  readonly id: string;
  readonly name?: string;
}

/**
 * The remembered cluster list a file holds, or undefined when it holds none: `fetchedAt` and each
 * cluster's `id` strings, a `name` a string when there is one; other keys are dropped. Written out, not
 * a schema, so that a cluster-scoped call loads no schema library.
 */
function rememberedList(value: unknown): { fetchedAt: string; clusters: ClusterName[] } | undefined {
  const record = value as { fetchedAt?: unknown; clusters?: unknown } | null;
  if (record === null || typeof record !== "object" || typeof record.fetchedAt !== "string" || !Array.isArray(record.clusters)) return undefined;
  const clusters: ClusterName[] = [];
  for (const entry of record.clusters as unknown[]) {
    const cluster = entry as { id?: unknown; name?: unknown } | null;
    if (cluster === null || typeof cluster !== "object" || Array.isArray(cluster) || typeof cluster.id !== "string") return undefined;
    if (cluster.name !== undefined && typeof cluster.name !== "string") return undefined;
    clusters.push({ id: cluster.id, ...(cluster.name === undefined ? {} : { name: cluster.name }) });
  }
  return { fetchedAt: record.fetchedAt, clusters };
}

/** The catalog's command that lists the account's clusters (`clusters/list`). */
export function findClustersList(operations: readonly Operation[]): Operation | undefined {
  return operations.find((operation) => operation.command === "clusters/list" && operation.method === "GET" && operation.scope === "account") ??
    operations.find((operation) => operation.verbPath.join(" ") === "clusters list" && operation.method === "GET" && operation.scope === "account");
}

/** Where the cluster list of `profile` is remembered. */
export function clusterNamesPath(cacheDir: string, profile: string): string {
  return join(cacheDir, profile, "clusters.json");
}

/**
 * The cluster id `value` stands for: itself when it is an id, the id of the cluster so named
 * (case-insensitive) otherwise, by the remembered list and then the API's. A value that is neither is
 * a usage error listing the clusters; when no list can be had, one shaped like an id is returned as it
 * is (the API then says what it knows).
 */
export async function resolveClusterId(value: string, session: ClusterLookup, clustersList: Operation | undefined, options: LookupOptions = {}): Promise<string> {
  const now = options.now ?? Date.now;
  const remembered = await rememberedFor(session, now());
  if (remembered !== undefined) {
    const hit = match(value, remembered);
    if (hit !== undefined) return hit;
  }
  const fresh = clustersList === undefined || session.accountId === undefined ? undefined : await fetchClusters(session, clustersList).catch(() => undefined);
  if (fresh !== undefined && session.cacheDir !== undefined && session.profile !== undefined) {
    await remember(clusterNamesPath(session.cacheDir, session.profile), fresh, now()).catch(() => {});
  }
  const known = fresh ?? remembered;
  const hit = known === undefined ? undefined : match(value, known);
  if (hit !== undefined) return hit;
  if (fresh === undefined && CLUSTER_ID_PATTERN.test(value)) return value;
  const list = known === undefined || known.length === 0 ? "" : `; the clusters are: ${known.map((cluster) => cluster.name === undefined ? cluster.id : `${cluster.id} (${cluster.name})`).join(", ")}`;
  throw new UsageError(`no cluster has the id or name "${value}" (a cluster id is ${CLUSTER_ID_RULE})${list}`, {
    hint: LIST_CLUSTERS_HINT[options.face ?? "mcp"],
  });
}

/**
 * How a question names the cluster `value` stands for: `i4y (production)`, its id and name, from the
 * remembered list or else the API's; `value` as given when no list says more. Never throws: a prompt
 * must not fail for want of a name.
 */
export async function clusterLabel(value: string, session: ClusterLookup, clustersList: Operation | undefined, now: () => number = Date.now): Promise<string> {
  const find = (clusters: readonly ClusterName[] | undefined): ClusterName | undefined => {
    if (clusters === undefined) return undefined;
    try {
      const id = match(value, clusters);
      return id === undefined ? undefined : clusters.find((cluster) => cluster.id === id);
    } catch {
      return undefined; // several clusters of that name: the call itself says so
    }
  };
  let found = find(await rememberedFor(session, now()));
  if (found === undefined && clustersList !== undefined && session.accountId !== undefined) {
    const fresh = await fetchClusters(session, clustersList).catch(() => undefined);
    if (fresh !== undefined && session.cacheDir !== undefined && session.profile !== undefined) {
      await remember(clusterNamesPath(session.cacheDir, session.profile), fresh, now()).catch(() => {});
    }
    found = find(fresh);
  }
  if (found === undefined) return value;
  return found.name === undefined || found.name === found.id ? found.id : `${found.id} (${found.name})`;
}

/** The id for `value` among `clusters`: an exact id, else a unique case-insensitive name. */
export function match(value: string, clusters: readonly ClusterName[]): string | undefined {
  if (clusters.some((cluster) => cluster.id === value)) return value;
  const named = clusters.filter((cluster) => cluster.name !== undefined && cluster.name.toLowerCase() === value.toLowerCase());
  if (named.length === 1) return named[0]!.id;
  if (named.length > 1) {
    throw new UsageError(`several clusters are named "${value}": ${named.map((cluster) => cluster.id).join(", ")}`, { hint: "pass the cluster's id instead of its name" });
  }
  return undefined;
}

async function rememberedFor(session: ClusterLookup, now: number): Promise<ClusterName[] | undefined> {
  if (session.cacheDir === undefined || session.profile === undefined) return undefined;
  return await readRemembered(clusterNamesPath(session.cacheDir, session.profile), now);
}

async function fetchClusters(session: ClusterLookup, clustersList: Operation): Promise<ClusterName[]> {
  const path = clustersList.endpoint.replace(/:aid\b/, pathSegment("the account id", session.accountId!));
  const value = await session.client.send({ method: "GET", path, idempotent: true, operation: clustersList, timeoutMs: 10_000 });
  const rows = rowsOf(value) ?? [];
  return rows
    .filter((row) => typeof row.id === "string")
    .map((row) => ({ id: row.id as string, ...(typeof row.name === "string" ? { name: row.name } : {}) }));
}

async function readRemembered(path: string, now: number): Promise<ClusterName[] | undefined> {
  try {
    const text = await readTextIfExists(path);
    if (text === undefined) return undefined;
    const remembered = rememberedList(JSON.parse(text));
    if (remembered === undefined || now - Date.parse(remembered.fetchedAt) > CLUSTER_LIST_TTL_MS) return undefined;
    return remembered.clusters;
  } catch {
    return undefined;
  }
}

async function remember(path: string, clusters: readonly ClusterName[], now: number): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify({ fetchedAt: new Date(now).toISOString(), clusters }, null, 2)}\n`, { mode: 0o600, dirMode: 0o700 });
}
