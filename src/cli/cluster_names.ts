/**
 * `--cid production`: people know their clusters by name, the API by id. A `--cid` (or positional
 * cid) that is not one of the account's cluster ids but is one of their names is replaced by that
 * cluster's id, looked up with the catalog's `clusters list` before the call is planned. The list is
 * remembered for an hour per profile beside the catalog cache, so an id already seen costs nothing.
 */
import { join } from "node:path";
import { z } from "zod";
import { readTextIfExists, writeFileAtomic } from "../atomic_write.ts";
import type { Session } from "../auth/session.ts";
import type { Operation } from "../catalog/operation.ts";
import { CLUSTER_ID_PATTERN, CLUSTER_ID_RULE } from "../cluster_id.ts";
import { UsageError } from "../errors.ts";
import { pathSegment } from "../api/request.ts";
import { rowsOf } from "./render.ts";

/** How long a remembered cluster list is trusted. */
export const CLUSTER_LIST_TTL_MS = 60 * 60 * 1000;

/** One cluster as far as naming goes. */
export interface ClusterName {
  readonly id: string;
  readonly name?: string;
}

const RememberedSchema = z.object({
  fetchedAt: z.string(),
  clusters: z.array(z.object({ id: z.string(), name: z.string().optional() })),
});

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
 * (case-insensitive) otherwise. A value that is neither and not shaped like an id is a usage error
 * listing the clusters; one shaped like an id goes to the API as it is (which then says what it knows).
 */
export async function resolveClusterId(value: string, session: Session, clustersList: Operation | undefined, now: () => number = Date.now): Promise<string> {
  const remembered = session.cacheDir === undefined ? undefined : await readRemembered(clusterNamesPath(session.cacheDir, session.profile), now());
  if (remembered !== undefined) {
    const hit = match(value, remembered);
    if (hit !== undefined) return hit;
  }
  const fresh = clustersList === undefined || session.accountId === undefined ? undefined : await fetchClusters(session, clustersList).catch(() => undefined);
  if (fresh !== undefined && session.cacheDir !== undefined) {
    await remember(clusterNamesPath(session.cacheDir, session.profile), fresh, now()).catch(() => {});
  }
  const known = fresh ?? remembered;
  const hit = known === undefined ? undefined : match(value, known);
  if (hit !== undefined) return hit;
  if (CLUSTER_ID_PATTERN.test(value)) return value;
  const list = known === undefined || known.length === 0 ? "" : `; the clusters are: ${known.map((cluster) => cluster.name === undefined ? cluster.id : `${cluster.id} (${cluster.name})`).join(", ")}`;
  throw new UsageError(`no cluster has the id or name "${value}" (a cluster id is ${CLUSTER_ID_RULE})${list}`, {
    hint: "pass a cluster id or name with --cid (see `runos clusters list`)",
  });
}

/** The id for `value` among `clusters`: an exact id, else a unique case-insensitive name. */
export function match(value: string, clusters: readonly ClusterName[]): string | undefined {
  if (clusters.some((cluster) => cluster.id === value)) return value;
  const named = clusters.filter((cluster) => cluster.name !== undefined && cluster.name.toLowerCase() === value.toLowerCase());
  if (named.length === 1) return named[0]!.id;
  if (named.length > 1) {
    throw new UsageError(`several clusters are named "${value}": ${named.map((cluster) => cluster.id).join(", ")}`, { hint: "pass the cluster id with --cid" });
  }
  return undefined;
}

async function fetchClusters(session: Session, clustersList: Operation): Promise<ClusterName[]> {
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
    const parsed = RememberedSchema.safeParse(JSON.parse(text));
    if (!parsed.success || now - Date.parse(parsed.data.fetchedAt) > CLUSTER_LIST_TTL_MS) return undefined;
    return parsed.data.clusters;
  } catch {
    return undefined;
  }
}

async function remember(path: string, clusters: readonly ClusterName[], now: number): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify({ fetchedAt: new Date(now).toISOString(), clusters }, null, 2)}\n`, { mode: 0o600, dirMode: 0o700 });
}
