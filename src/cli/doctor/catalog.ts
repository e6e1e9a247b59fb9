/**
 * Doctor's catalog check: which catalog the tools come from (the cached one or the embedded
 * baseline), its version and age, when the API's version was last checked, and whether the API now
 * serves a newer one.
 */
import type { Session } from "../../auth/session.ts";
import { readCacheMeta } from "../../catalog/cache.ts";
import { fetchCatalogVersion } from "../../catalog/fetch.ts";
import { loadCatalog } from "../../catalog/load.ts";
import { lastCheck } from "../../catalog/sync.ts";
import type { Check } from "./check.ts";

/** `3 min ago`, `2 h ago`, `4 days ago`. */
export function ago(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 90) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** The catalog check; `online` says whether the API's version may be asked (signed in and reachable). */
export async function checkCatalog(session: Session, online: boolean, now: () => number = Date.now): Promise<Check> {
  const loaded = await loadCatalog({ profile: session.profile, sandbox: session.sandbox, ...(session.cacheDir === undefined ? {} : { cacheDir: session.cacheDir }) });
  const version = loaded.catalog.version;
  const parts = [`${loaded.source === "cache" ? "cached" : "embedded"} catalog version ${version}, ${loaded.operations.length} commands`];
  if (loaded.source === "cache" && session.cacheDir !== undefined) {
    const meta = await readCacheMeta(session.profile, session.cacheDir);
    if (meta !== undefined && Number.isFinite(Date.parse(meta.fetchedAt))) parts.push(`downloaded ${ago(now() - Date.parse(meta.fetchedAt))}`);
  }
  // When runos last asked the API for its version: said only when this check does not ask it itself,
  // so the line never says "never checked" beside what the API just answered.
  const checked = session.cacheDir === undefined || session.sandbox ? undefined : await lastCheck(session.profile, session.cacheDir);
  const lastChecked = session.cacheDir === undefined || session.sandbox
    ? []
    : [checked === undefined ? "the API's version never checked" : `version last checked ${ago(now() - checked)}`];
  if (loaded.warnings.length > 0) {
    return { id: "catalog", title: "Catalog", status: "warn", summary: [...parts, ...lastChecked, ...loaded.warnings].join("; "), symptom: "Tools Not Appearing" };
  }
  if (online && !session.sandbox && session.accountId !== undefined) {
    try {
      const served = await fetchCatalogVersion(session.client, session.accountId);
      if (served !== version) {
        return { id: "catalog", title: "Catalog", status: "warn", summary: `${parts.join("; ")}; the API serves version ${served} (asked just now)`, symptom: "Tools Not Appearing" };
      }
      parts.push("the API serves the same version (asked just now)");
    } catch (error) {
      parts.push(...lastChecked, `the API's version could not be read now (${error instanceof Error ? error.message : String(error)})`);
    }
  } else {
    parts.push(...lastChecked);
    if (loaded.source === "baseline" && !session.sandbox) {
      return { id: "catalog", title: "Catalog", status: "warn", summary: `${parts.join("; ")}; RunOS may serve more tools`, symptom: "Tools Not Appearing", fix: "once signed in: runos manifest update" };
    }
  }
  return { id: "catalog", title: "Catalog", status: "ok", summary: parts.join("; ") };
}
