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
import { Buffer } from "node:buffer";
import { readBytesIfExists, readTextIfExists, writeFileAtomic } from "../atomic_write.ts";
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

/**
 * The cache's text, not parsed yet: `validated` when this runos (release and schema revision) accepted
 * exactly this text before, so it may be read without zod; never throws for bad content.
 */
export type CachedCatalogText =
  | { readonly kind: "missing" }
  | { readonly kind: "invalid"; readonly path: string; readonly problems: readonly string[] }
  | { readonly kind: "text"; readonly path: string; readonly bytes: Uint8Array; readonly sha256: string; readonly validated: boolean };

/** Read the cached manifest's text and whether this runos validated it before; parses nothing. */
export async function readCachedCatalogText(profile: string, cacheDir?: string): Promise<CachedCatalogText> {
  const path = catalogCachePath(profile, cacheDir);
  let bytes: Uint8Array | undefined;
  try {
    // Bytes, not text: hashed as they are, decoded only when parsed (a RunOS-sized catalog is 1.5 MB).
    bytes = await readBytesIfExists(path);
  } catch (error) {
    return { kind: "invalid", path, problems: [`cannot read: ${error instanceof Error ? error.message : String(error)}`] };
  }
  if (bytes === undefined) return { kind: "missing" };
  const digest = sha256(bytes);
  return { kind: "text", path, bytes, sha256: digest, validated: await validatedBefore(profile, digest, cacheDir) };
}

/** The text of the cache's bytes (UTF-8, as written). */
export function cachedText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/** The catalog of a text {@link readCachedCatalogText} found validated: no zod, the schema's defaults filled in. */
export function validatedCatalog(bytes: Uint8Array): Catalog {
  return catalogWithDefaults(JSON.parse(cachedText(bytes)));
}

/**
 * Parse a cached text that was not validated by this runos: zod once, then marked (best effort) so
 * that the next start reads it without zod.
 */
export async function validateCachedCatalogText(
  profile: string,
  found: Extract<CachedCatalogText, { kind: "text" }>,
  cacheDir?: string,
): Promise<{ readonly ok: true; readonly catalog: Catalog } | { readonly ok: false; readonly problems: readonly string[] }> {
  let value: unknown;
  try {
    value = JSON.parse(cachedText(found.bytes));
  } catch (error) {
    return { ok: false, problems: [`not valid JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
  const { parseCatalog } = await import("./schema.ts");
  const parsed = parseCatalog(value);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  // Best effort: a cache that cannot be written is still read, parsed every time.
  await markValidated(profile, found.sha256, cacheDir).catch(() => {});
  return { ok: true, catalog: parsed.catalog };
}

/** Read and parse the cached catalog; never throws for bad content. */
export async function readCachedCatalog(profile: string, cacheDir?: string): Promise<CachedCatalog> {
  const found = await readCachedCatalogText(profile, cacheDir);
  if (found.kind !== "text") return found;
  const { path } = found;
  const text = cachedText(found.bytes);
  let catalog: Catalog;
  if (found.validated) catalog = catalogWithDefaults(JSON.parse(text));
  else {
    const parsed = await validateCachedCatalogText(profile, found, cacheDir);
    if (!parsed.ok) return { kind: "invalid", path, problems: parsed.problems };
    catalog = parsed.catalog;
  }
  const meta = await readCacheMeta(profile, cacheDir);
  return { kind: "ok", path, catalog, text, ...(meta === undefined ? {} : { meta }) };
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

/** SHA-256 of a text's UTF-8 bytes, or of bytes as they are: the same digest for the same file. */
function sha256(text: string | Uint8Array): string {
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
