/**
 * Choose the catalog to work from: the profile's cached manifest when it parses, else the embedded
 * baseline. A corrupt or incompatible cache (say, a newer schemaVersion) is reported as a warning and
 * left on disk untouched; loading never fails because of it.
 */
import { cacheDir as defaultCacheDir, configDir, type Env, processEnv, readConfig, resolveProfileName } from "../auth/config.ts";
import baselineJson from "./baseline.json" with { type: "json" };
import { readCachedCatalogText, validateCachedCatalogText, validatedCatalog } from "./cache.ts";
import { buildOperations, type Operation } from "./operation.ts";
import type { Catalog } from "./schema.ts";

export { catalogCachePath } from "./cache.ts";

/** A catalog ready to use. */
export interface LoadedCatalog {
  readonly catalog: Catalog;
  readonly operations: Operation[];
  readonly source: "cache" | "baseline";
  /** Problems with the cache, for stderr. */
  readonly warnings: string[];
}

/**
 * The embedded baseline catalog. It is not run through zod at start-up (that is most of a cold start's
 * catalog work, and grows with the catalog): it ships inside the program, and
 * tests/catalog/baseline_test.ts proves it parses to exactly itself, defaults included.
 */
export function baselineCatalog(): Catalog {
  return baselineJson as Catalog;
}

/** Options of {@link loadCatalog}. */
export interface LoadCatalogOptions {
  /** Profile whose cache to read; default: the current profile. */
  readonly profile?: string;
  readonly cacheDir?: string;
  /** Use the embedded baseline only (the sandbox writes and reads no cache). */
  readonly sandbox?: boolean;
  readonly env?: Env;
}

/** The cached catalog when valid, else the embedded baseline, plus warnings; never throws for a bad cache. */
export async function loadCatalog(options: LoadCatalogOptions = {}): Promise<LoadedCatalog> {
  return (await openCatalog(options)).load();
}

/**
 * A catalog chosen but not necessarily built: a cache this runos validated before is only read and
 * hashed until {@link ChosenCatalog.load} is called, so a server whose tools/list is already derived
 * (mcp/tools/listing_cache.ts) does not parse a RunOS-sized catalog before its first answers.
 */
export interface ChosenCatalog {
  readonly source: "cache" | "baseline";
  /** Problems with the cache, for stderr. */
  readonly warnings: string[];
  /** The cached text's SHA-256, once this runos's schema has accepted exactly that text. */
  readonly validatedSha256?: string;
  /** The catalog and its operations, built at the first call (synchronous: no zod, no I/O). */
  load(): LoadedCatalog;
}

/** Choose the catalog as {@link loadCatalog} does; a validated cache is parsed only when `load()` asks. */
export async function openCatalog(options: LoadCatalogOptions = {}): Promise<ChosenCatalog> {
  const built = (make: () => LoadedCatalog) => {
    let loaded: LoadedCatalog | undefined;
    return () => (loaded ??= make());
  };
  const fromBaseline = (warnings: string[]): ChosenCatalog => ({
    source: "baseline",
    warnings,
    load: built(() => {
      const catalog = baselineCatalog();
      return { catalog, operations: buildOperations(catalog), source: "baseline", warnings };
    }),
  });
  if (options.sandbox === true) return fromBaseline([]);
  const env = options.env ?? processEnv();
  const profile = options.profile ?? await currentProfile(env);
  const cacheDir = options.cacheDir ?? defaultCacheDir(env);
  const found = await readCachedCatalogText(profile, cacheDir);
  if (found.kind === "missing") return fromBaseline([]);
  const invalid = (path: string, problems: readonly string[]) =>
    fromBaseline([
      `ignoring the cached manifest ${path} (${problems.join("; ")}); using the embedded catalog version ${baselineCatalog().version}. Run \`runos manifest update\` to refresh it.`,
    ]);
  if (found.kind === "invalid") return invalid(found.path, found.problems);
  let catalog: Catalog | undefined;
  if (!found.validated) {
    const parsed = await validateCachedCatalogText(profile, found, cacheDir);
    if (!parsed.ok) return invalid(found.path, parsed.problems);
    catalog = parsed.catalog;
  }
  let bytes: Uint8Array | undefined = found.bytes;
  return {
    source: "cache",
    warnings: [],
    validatedSha256: found.sha256,
    load: built(() => {
      const ready = catalog ?? validatedCatalog(bytes!);
      bytes = catalog = undefined; // the text is not kept once built
      return { catalog: ready, operations: buildOperations(ready), source: "cache", warnings: [] };
    }),
  };
}

async function currentProfile(env: Env): Promise<string> {
  try {
    return resolveProfileName(undefined, env, await readConfig(configDir(env)));
  } catch {
    return resolveProfileName(undefined, env, { profiles: {} });
  }
}
