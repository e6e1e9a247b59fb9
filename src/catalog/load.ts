/**
 * Choose the catalog to work from: the profile's cached manifest when it parses, else the embedded
 * baseline. A corrupt or incompatible cache (say, a newer schemaVersion) is reported as a warning and
 * left on disk untouched; loading never fails because of it.
 */
import { cacheDir as defaultCacheDir, configDir, type Env, processEnv, readConfig, resolveProfileName } from "../auth/config.ts";
import baselineJson from "./baseline.json" with { type: "json" };
import { readCachedCatalog } from "./cache.ts";
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
  const fromBaseline = (warnings: string[]): LoadedCatalog => {
    const catalog = baselineCatalog();
    return { catalog, operations: buildOperations(catalog), source: "baseline", warnings };
  };
  if (options.sandbox === true) return fromBaseline([]);
  const env = options.env ?? processEnv();
  const profile = options.profile ?? await currentProfile(env);
  const cached = await readCachedCatalog(profile, options.cacheDir ?? defaultCacheDir(env));
  if (cached.kind === "missing") return fromBaseline([]);
  if (cached.kind === "invalid") {
    return fromBaseline([
      `ignoring the cached manifest ${cached.path} (${cached.problems.join("; ")}); using the embedded catalog version ${baselineCatalog().version}. Run \`runos manifest update\` to refresh it.`,
    ]);
  }
  return { catalog: cached.catalog, operations: buildOperations(cached.catalog), source: "cache", warnings: [] };
}

async function currentProfile(env: Env): Promise<string> {
  try {
    return resolveProfileName(undefined, env, await readConfig(configDir(env)));
  } catch {
    return resolveProfileName(undefined, env, { profiles: {} });
  }
}
