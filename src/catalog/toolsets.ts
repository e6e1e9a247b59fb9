/**
 * Toolsets, as RunOS's own server scopes them: `GET /:aid/cli/toolsets` answers
 * `{scoped, serviceTypes[]}`, the service types the account runs. When scoped, a server lists the
 * per-type service tools only for those types, but every type's `add` stays, so a new service can
 * still be made. Cached a day per profile; a catalog or API without the route changes nothing.
 */
import { join } from "node:path";
import type { ApiClient } from "../api/client.ts";
import { readTextIfExists, writeFileAtomic } from "../atomic_write.ts";
import { NotFoundError } from "../errors.ts";
import type { Operation } from "./operation.ts";

/** How long a fetched answer is trusted. */
export const TOOLSETS_TTL_MS = 24 * 60 * 60 * 1000;

/** The account's toolsets; `serviceTypes` counts only when `scoped`. */
export interface Toolsets {
  readonly scoped: boolean;
  readonly serviceTypes: readonly string[];
}

// Checked by hand, not with zod: a server reads the cache before its first answers, and zod's load
// is kept off that path.
function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === "string") ? value as string[] : undefined;
}

/** The API's answer, `{scoped, serviceTypes}`, or undefined when it is not that. */
function parseAnswer(value: unknown): Toolsets | undefined {
  if (!isRecord(value) || typeof value.scoped !== "boolean") return undefined;
  const serviceTypes = value.serviceTypes === undefined ? [] : stringList(value.serviceTypes);
  return serviceTypes === undefined ? undefined : { scoped: value.scoped, serviceTypes };
}

/** Where `profile`'s last answer is kept. */
export function toolsetsPath(profile: string, cacheDir: string): string {
  return join(cacheDir, profile, "toolsets.json");
}

/** What the cache says: toolsets, `null` for "the API has no such route", undefined when stale or missing. */
export async function cachedToolsets(profile: string, cacheDir: string, now: number = Date.now()): Promise<Toolsets | null | undefined> {
  try {
    const text = await readTextIfExists(toolsetsPath(profile, cacheDir));
    if (text === undefined) return undefined;
    const cached: unknown = JSON.parse(text);
    if (!isRecord(cached) || typeof cached.fetchedAt !== "string") return undefined;
    const at = Date.parse(cached.fetchedAt);
    if (!Number.isFinite(at) || now - at >= TOOLSETS_TTL_MS || now < at) return undefined;
    if (cached.absent === true) return null;
    return { scoped: cached.scoped === true, serviceTypes: stringList(cached.serviceTypes) ?? [] };
  } catch {
    return undefined;
  }
}

/** Ask the API and remember the answer; `null` when the route does not exist. Rejects on other failures. */
export async function fetchToolsets(client: ApiClient, accountId: string, profile: string, cacheDir: string | undefined, now: number = Date.now()): Promise<Toolsets | null> {
  let toolsets: Toolsets | null;
  try {
    const value = await client.send({ method: "GET", path: `/${encodeURIComponent(accountId)}/cli/toolsets`, idempotent: true, timeoutMs: 5_000 });
    toolsets = parseAnswer(value) ?? null;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    toolsets = null;
  }
  if (cacheDir !== undefined) {
    const record = toolsets === null ? { fetchedAt: new Date(now).toISOString(), absent: true } : { fetchedAt: new Date(now).toISOString(), ...toolsets };
    await writeFileAtomic(toolsetsPath(profile, cacheDir), `${JSON.stringify(record)}\n`, { mode: 0o600, dirMode: 0o700 });
  }
  return toolsets;
}

/**
 * The tool names a scoped account does not see: every `services/<type>/…` command of a type it does
 * not run, except that type's `add`. A type is what has an `add` (or any command) under
 * `services/<type>/`; generic commands (`services/list`) are never hidden.
 */
export function hiddenByToolsets(operations: readonly Operation[], toolsets: Toolsets | null | undefined): ReadonlySet<string> {
  if (toolsets === null || toolsets === undefined || !toolsets.scoped) return new Set();
  const runs = new Set(toolsets.serviceTypes.map((type) => type.toLowerCase()));
  const hidden = new Set<string>();
  for (const operation of operations) {
    const [group, type, ...rest] = operation.verbPath;
    if (group !== "services" || type === undefined || rest.length === 0) continue;
    if (runs.has(type.toLowerCase())) continue;
    if (rest.length === 1 && rest[0] === "add") continue;
    hidden.add(operation.toolName);
  }
  return hidden;
}
