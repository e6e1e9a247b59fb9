/**
 * Download the catalog: `GET /:aid/cli/manifest` (and `…/manifest-version`), falling back to the bare
 * `/cli/…` routes only on a 404; `If-None-Match` with the cached ETag so an unchanged catalog costs a
 * 304. A downloaded catalog that does not parse is refused and the last good one kept.
 */
import { type ApiClient, type ApiExchange, type ApiRequest, notAuthenticated } from "../api/client.ts";
import { type Session, signInProblem } from "../auth/session.ts";
import { ApiError, NotFoundError } from "../errors.ts";
import { markCachedCatalogValidated, readCachedCatalog, writeCachedCatalog } from "./cache.ts";
import { buildOperations, type Operation } from "./operation.ts";
import { type Catalog, parseCatalog } from "./schema.ts";

/** Outcome of one download. */
export type FetchedCatalog =
  | { readonly kind: "unchanged" }
  | { readonly kind: "fetched"; readonly text: string; readonly value: unknown; readonly etag?: string };

/** GET a CLI support route under the account, falling back to the bare route only on a 404. */
async function getCliRoute(client: ApiClient, accountId: string, route: string, headers?: Record<string, string>): Promise<ApiExchange> {
  const request = (path: string): ApiRequest => ({ method: "GET", path, idempotent: true, ...(headers === undefined ? {} : { headers }) });
  try {
    return await exchange(client, request(`/${encodeURIComponent(accountId)}/cli/${route}`));
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    return await exchange(client, request(`/cli/${route}`));
  }
}

async function exchange(client: ApiClient, request: ApiRequest): Promise<ApiExchange> {
  if (client.exchange !== undefined) return await client.exchange(request);
  const value = await client.send(request);
  return { status: 200, headers: new Headers(), value, text: JSON.stringify(value) };
}

/** Download the catalog; `etag` makes an unchanged catalog answer 304 → `unchanged`. */
export async function fetchCatalog(client: ApiClient, accountId: string, options: { etag?: string } = {}): Promise<FetchedCatalog> {
  const headers = options.etag === undefined ? undefined : { "If-None-Match": options.etag };
  const response = await getCliRoute(client, accountId, "manifest", headers);
  if (response.status === 304) return { kind: "unchanged" };
  const etag = response.headers.get("etag") ?? undefined;
  return { kind: "fetched", text: response.text, value: response.value, ...(etag === undefined ? {} : { etag }) };
}

/** The version the API would serve now (`{"version"}`), without downloading the catalog. */
export async function fetchCatalogVersion(client: ApiClient, accountId: string): Promise<string> {
  const response = await getCliRoute(client, accountId, "manifest-version");
  const version = (response.value as { version?: unknown } | null)?.version;
  if (typeof version !== "string" || version === "") throw new ApiError("the RunOS API sent no manifest version");
  return version;
}

/** Outcome of {@link updateCatalog}. */
export interface CatalogUpdate {
  /** The catalog differs from the cached one. */
  readonly changed: boolean;
  readonly version: string;
  readonly catalog: Catalog;
  readonly operations: Operation[];
  /** Where it was saved; undefined in the sandbox (nothing is written). */
  readonly path?: string;
}

/**
 * Refresh the session's cached catalog. `force` skips the ETag, downloading in full. Throws when not
 * signed in, when the API fails, or when the new catalog is unusable (the cache is then left as it was).
 */
export async function updateCatalog(session: Session, options: { force?: boolean } = {}): Promise<CatalogUpdate> {
  const accountId = session.accountId;
  if (!session.authenticated || accountId === undefined) throw signInProblem(session) ?? notAuthenticated();
  const cached = session.cacheDir === undefined ? { kind: "missing" as const } : await readCachedCatalog(session.profile, session.cacheDir);
  const cacheMatches = cached.kind === "ok" && cached.meta?.accountId === accountId;
  const etag = cacheMatches && options.force !== true ? cached.meta?.etag : undefined;

  const fetched = await fetchCatalog(session.client, accountId, etag === undefined ? {} : { etag });
  if (fetched.kind === "unchanged" && cached.kind === "ok") {
    return { changed: false, version: cached.catalog.version, catalog: cached.catalog, operations: buildOperations(cached.catalog), path: cached.path };
  }
  if (fetched.kind === "unchanged") throw new ApiError("the RunOS API answered 304 Not Modified but no catalog is cached", { hint: "run `runos manifest update` again" });

  const parsed = parseCatalog(fetched.value);
  if (!parsed.ok) {
    const kept = cached.kind === "ok" ? `the cached version ${cached.catalog.version}` : "the embedded baseline catalog";
    throw new ApiError(`the RunOS API sent a catalog this runos cannot use (${parsed.problems.join("; ")}); kept ${kept}`, {
      hint: "upgrade runos if the catalog format is newer; otherwise retry later",
      details: { problems: parsed.problems },
    });
  }
  const catalog = parsed.catalog;
  const changed = !(cached.kind === "ok" && cached.text === fetched.text);
  let path: string | undefined;
  if (session.cacheDir !== undefined) {
    path = await writeCachedCatalog(session.profile, fetched.text, {
      version: catalog.version,
      fetchedAt: new Date().toISOString(),
      accountId,
      ...(fetched.etag === undefined ? {} : { etag: fetched.etag }),
    }, session.cacheDir);
    await markCachedCatalogValidated(session.profile, fetched.text, session.cacheDir);
  }
  return { changed, version: catalog.version, catalog, operations: buildOperations(catalog), ...(path === undefined ? {} : { path }) };
}
