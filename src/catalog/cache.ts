/**
 * The manifest cache, one per profile: `<cacheDir>/<profile>/manifest.json` holds the catalog byte for
 * byte as the API sent it, `manifest.meta.json` its ETag, version, fetch time and account. Both are
 * written atomically, and only after the new catalog parsed, so the last good one always survives.
 *
 * Validated once: `manifest.validated.json` names the runos release and schema revision that accepted
 * the manifest, and the SHA-256 of its text. While all match, the manifest is read without zod (defaults.ts fills in
 * what the schema would); any other text, release or revision is parsed by the schema again, and
 * marked when it passes. The schemas (and zod) load only when there is a cache to parse.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { readTextIfExists, writeFileAtomic } from "../atomic_write.ts";
import { cacheDir as defaultCacheDir, processEnv } from "../auth/config.ts";
import type { CacheMeta } from "./cache_meta.ts";
import { CATALOG_SCHEMA_REVISION, catalogWithDefaults } from "./defaults.ts";
import type { Catalog } from "./schema.ts";
import { VERSION } from "../version.ts";

export type { CacheMeta } from "./cache_meta.ts";

/** Path of the cached manifest of `profile` (the MCP server watches it for changes). */
export function catalogCachePath(profile: string, cacheDir: string = defaultCacheDir(processEnv())): string {
  return join(cacheDir, profile, "manifest.json");
}

/** Path of the cache's sidecar metadata. */
export function catalogMetaPath(profile: string, cacheDir: string = defaultCacheDir(processEnv())): string {
  return join(cacheDir, profile, "manifest.meta.json");
}

/** Path of the marker saying which schema revision validated which manifest text. */
export function catalogValidatedPath(profile: string, cacheDir: string = defaultCacheDir(processEnv())): string {
  return join(cacheDir, profile, "manifest.validated.json");
}

/** The cache as found on disk. */
export type CachedCatalog =
  | { readonly kind: "missing" }
  | { readonly kind: "invalid"; readonly path: string; readonly problems: readonly string[] }
  | { readonly kind: "ok"; readonly path: string; readonly catalog: Catalog; readonly text: string; readonly meta?: CacheMeta };

/** Read and parse the cached catalog; never throws for bad content. */
export async function readCachedCatalog(profile: string, cacheDir?: string): Promise<CachedCatalog> {
  const path = catalogCachePath(profile, cacheDir);
  let text: string | undefined;
  try {
    text = await readTextIfExists(path);
  } catch (error) {
    return { kind: "invalid", path, problems: [`cannot read: ${error instanceof Error ? error.message : String(error)}`] };
  }
  if (text === undefined) return { kind: "missing" };
  const digest = sha256(text);
  if (await validatedBefore(profile, digest, cacheDir)) {
    const meta = await readCacheMeta(profile, cacheDir);
    return { kind: "ok", path, catalog: catalogWithDefaults(JSON.parse(text)), text, ...(meta === undefined ? {} : { meta }) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: "invalid", path, problems: [`not valid JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
  const { parseCatalog } = await import("./schema.ts");
  const parsed = parseCatalog(value);
  if (!parsed.ok) return { kind: "invalid", path, problems: parsed.problems };
  // Best effort: a cache that cannot be written is still read, parsed every time.
  await markValidated(profile, digest, cacheDir).catch(() => {});
  const meta = await readCacheMeta(profile, cacheDir);
  return { kind: "ok", path, catalog: parsed.catalog, text, ...(meta === undefined ? {} : { meta }) };
}

/** The sidecar metadata, or undefined when missing or unreadable (it is only an optimisation). */
export async function readCacheMeta(profile: string, cacheDir?: string): Promise<CacheMeta | undefined> {
  try {
    const text = await readTextIfExists(catalogMetaPath(profile, cacheDir));
    if (text === undefined) return undefined;
    const { CacheMetaSchema } = await import("./cache_meta.ts");
    const parsed = CacheMetaSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Store an already-validated catalog's text and its metadata atomically; returns the manifest path. */
export async function writeCachedCatalog(profile: string, text: string, meta: CacheMeta, cacheDir?: string): Promise<string> {
  const path = catalogCachePath(profile, cacheDir);
  await writeFileAtomic(path, text, { mode: 0o600, dirMode: 0o700 });
  await writeFileAtomic(catalogMetaPath(profile, cacheDir), `${JSON.stringify(meta, null, 2)}\n`, { mode: 0o600, dirMode: 0o700 });
  return path;
}

/**
 * Note that this runos's schema accepted the cached manifest `text` (updateCatalog, right after it
 * parsed and stored it), so that the next start reads it without parsing it again.
 */
export async function markCachedCatalogValidated(profile: string, text: string, cacheDir?: string): Promise<void> {
  await markValidated(profile, sha256(text), cacheDir);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Whether this runos (release and schema revision) validated the manifest text of SHA-256 `digest`. */
async function validatedBefore(profile: string, digest: string, cacheDir?: string): Promise<boolean> {
  try {
    const text = await readTextIfExists(catalogValidatedPath(profile, cacheDir));
    if (text === undefined) return false;
    const marker = JSON.parse(text) as { runos?: unknown; schemaRevision?: unknown; sha256?: unknown } | null;
    return marker?.runos === VERSION && marker.schemaRevision === CATALOG_SCHEMA_REVISION && marker.sha256 === digest;
  } catch {
    return false; // an unreadable marker only costs a parse
  }
}

/** Note that this runos (release and schema revision) accepted the manifest text of SHA-256 `digest`. */
async function markValidated(profile: string, digest: string, cacheDir?: string): Promise<void> {
  const marker = { runos: VERSION, schemaRevision: CATALOG_SCHEMA_REVISION, sha256: digest };
  await writeFileAtomic(catalogValidatedPath(profile, cacheDir), `${JSON.stringify(marker)}\n`, { mode: 0o600, dirMode: 0o700 });
}
