/**
 * `runos __complete '<list command>' -- <words typed>`: the cluster and service ids (and names) a shell
 * offers, as kubectl completes names; hidden, the completion scripts call it. One `value<TAB>other`
 * line per candidate (fish shows the part after the tab; bash and zsh cut it off). It answers from a
 * cache of at most {@link COMPLETION_TTL_MS} in the user's cache dir, filled by the list call only
 * here; it gives up after {@link COMPLETION_DEADLINE_MS}; and it never prints an error, since a shell
 * would show whatever is written as candidates.
 */
import { join } from "node:path";
import { z } from "zod";
import { readTextIfExists, writeFileAtomic } from "../../atomic_write.ts";
import { cacheDir as defaultCacheDir, type Env, processEnv } from "../../auth/config.ts";
import { openSession, type Session } from "../../auth/session.ts";
import { buildRequest } from "../../api/request.ts";
import { rowsOf } from "../../api/rows.ts";
import { loadCatalog } from "../../catalog/load.ts";
import type { Operation } from "../../catalog/operation.ts";
import { findClustersList, onCluster } from "../../cluster_names.ts";
import { CLI_ALLOWED, CLUSTER_ARGUMENT, planCall } from "../../policy/call_plan.ts";
import { peekCommandLine, profileOf } from "../command_line.ts";
import { COMPLETE_COMMAND } from "./hints.ts";
import { safeWord } from "./spec.ts";

/** How long a list answered for completion is offered again without asking the API. */
export const COMPLETION_TTL_MS = 60_000;

/** How long a completion may wait for the API before offering nothing. */
export const COMPLETION_DEADLINE_MS = 2_000;

/** What the script asked: which list to complete from, and the global options and cluster typed so far. */
export interface CompletionQuery {
  /** The list command's words, e.g. `["services", "valkey", "list"]`. */
  readonly source: readonly string[];
  readonly profile?: string;
  readonly apiUrl?: string;
  readonly sandbox: boolean;
  /** `--cid` as typed on the line, if it was. */
  readonly cid?: string;
}

/**
 * The query in `argv` (`__complete 'clusters list' -- <words>`), or undefined when argv is no
 * completion. The last word typed is the one being completed, so it counts for nothing.
 */
export function parseCompletionQuery(argv: readonly string[], env: Env = processEnv()): CompletionQuery | undefined {
  if (argv[0] !== COMPLETE_COMMAND) return undefined;
  const dashes = argv.indexOf("--");
  const head = dashes < 0 ? argv.slice(1) : argv.slice(1, dashes);
  const typed = dashes < 0 ? [] : argv.slice(dashes + 1, -1);
  const peeked = peekCommandLine(typed);
  const profile = profileOf(peeked, env);
  return {
    source: head.flatMap((word) => word.split(" ")).filter((word) => word !== ""),
    ...(profile === undefined ? {} : { profile }),
    ...(peeked.apiUrl === undefined ? {} : { apiUrl: peeked.apiUrl }),
    sandbox: peeked.sandbox,
    ...(clusterTyped(typed) === undefined ? {} : { cid: clusterTyped(typed)! }),
  };
}

/** The last `--cid <value>` or `--cid=<value>` among `words` (before a `--`). */
function clusterTyped(words: readonly string[]): string | undefined {
  let cid: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === "--") break;
    if (word === "--cid" && words[i + 1] !== undefined) cid = words[++i];
    else if (word.startsWith("--cid=")) cid = word.slice("--cid=".length);
  }
  return cid === "" ? undefined : cid;
}

/** Seams for tests: the environment, the clock and where the cache lives. */
export interface CompletionDeps {
  readonly env?: Env;
  readonly now?: () => number;
  readonly cacheDir?: string;
  readonly deadlineMs?: number;
}

/** The candidates for `query`: `value<TAB>other` lines; none when anything is missing or fails. */
export async function completionCandidates(query: CompletionQuery, deps: CompletionDeps = {}): Promise<string[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), deps.deadlineMs ?? COMPLETION_DEADLINE_MS);
    (timer as { unref?: () => void }).unref?.();
  });
  try {
    return await Promise.race([candidatesOrNothing(query, deps), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function candidatesOrNothing(query: CompletionQuery, deps: CompletionDeps): Promise<string[]> {
  let session: Session | undefined;
  try {
    const env = deps.env ?? processEnv();
    const { operations } = await loadCatalog({ profile: query.profile, sandbox: query.sandbox });
    const lister = operations.find((operation) => operation.verbPath.join(" ") === query.source.join(" ") && operation.method === "GET");
    if (lister === undefined) return [];
    session = await openSession({ profile: query.profile, apiUrl: query.apiUrl, sandbox: query.sandbox, env });
    if (!session.authenticated || session.accountId === undefined) return [];
    const cluster = lister.scope === "cluster" ? query.cid ?? session.defaultClusterId : undefined;
    if (lister.scope === "cluster" && cluster === undefined) return [];
    const cache = completionCache(join(deps.cacheDir ?? defaultCacheDir(env), session.profile, "completion.json"), deps.now ?? Date.now);
    const key = [session.apiUrl, session.accountId, lister.command, cluster ?? ""].join(" ");
    const cached = await cache.read(key);
    if (cached !== undefined) return cached;
    const candidates = candidatesOf(await listRows(lister, session, cluster, findClustersList(operations)));
    await cache.write(key, candidates);
    return candidates;
  } catch {
    return [];
  } finally {
    await session?.close().catch(() => {});
  }
}

/** Call `lister` (on `cluster`, a name or an id) as its verb would, and return its rows. */
async function listRows(lister: Operation, session: Session, cluster: string | undefined, clustersList: Operation | undefined): Promise<Record<string, unknown>[]> {
  const plan = planCall(lister, CLI_ALLOWED, cluster === undefined ? {} : { [CLUSTER_ARGUMENT]: cluster }, { face: "cli" });
  const send = (clusterId?: string) => session.client.send(buildRequest(clusterId === undefined ? plan : { ...plan, clusterId }, { accountId: session.accountId ?? "" }));
  const value = plan.clusterId === undefined ? await send() : await onCluster(plan.clusterId, session, clustersList, send);
  return rowsOf(value) ?? [];
}

/** Each row's id, with its name beside it, and its name, with its id: both are taken where an id is. */
export function candidatesOf(rows: readonly Record<string, unknown>[]): string[] {
  const lines: string[] = [];
  for (const row of rows) {
    const id = typeof row.id === "string" ? row.id : undefined;
    const name = typeof row.name === "string" ? row.name : undefined;
    if (id !== undefined && safeWord(id)) lines.push(name === undefined ? id : `${id}\t${name}`);
    if (name !== undefined && name !== id && safeWord(name)) lines.push(id === undefined ? name : `${name}\t${id}`);
  }
  return [...new Set(lines)];
}

const CacheSchema = z.record(z.string(), z.object({ fetchedAt: z.number(), candidates: z.array(z.string()) }));

/** The completion cache of one profile: entries by key, each offered for {@link COMPLETION_TTL_MS}. */
function completionCache(path: string, now: () => number) {
  const load = async (): Promise<z.infer<typeof CacheSchema>> => {
    try {
      const text = await readTextIfExists(path);
      const parsed = text === undefined ? undefined : CacheSchema.safeParse(JSON.parse(text));
      return parsed?.success === true ? parsed.data : {};
    } catch {
      return {};
    }
  };
  return {
    read: async (key: string): Promise<string[] | undefined> => {
      const entry = (await load())[key];
      const age = entry === undefined ? Infinity : now() - entry.fetchedAt;
      return age >= 0 && age < COMPLETION_TTL_MS ? entry!.candidates : undefined;
    },
    write: async (key: string, candidates: readonly string[]): Promise<void> => {
      const fresh = Object.fromEntries(Object.entries(await load()).filter(([, entry]) => now() - entry.fetchedAt < COMPLETION_TTL_MS));
      fresh[key] = { fetchedAt: now(), candidates: [...candidates] };
      await writeFileAtomic(path, `${JSON.stringify(fresh)}\n`, { mode: 0o600, dirMode: 0o700 }).catch(() => {});
    },
  };
}
