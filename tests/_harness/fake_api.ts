/**
 * Start the fake RunOS API for a test, in-process (msw/node intercepts `SANDBOX_API_URL`) or on a
 * loopback port (real HTTP), and call it with the demo token. Always `close()` it in `after`.
 */
import type { Catalog } from "../../src/catalog/schema.ts";
import {
  type CatalogFixtureName,
  type Clock,
  createFakeApi,
  DEMO_TOKEN,
  type FakeApi,
  loadCatalogFixture,
  manualClock,
  serveFakeApiHttp,
  startFakeApiInProcess,
} from "../../src/fake_api/mod.ts";

/** A running fake API: the api object, the base URL to send requests to, and how to stop it. */
export interface FakeApiHarness {
  readonly api: FakeApi;
  readonly url: string;
  close(): Promise<void>;
}

/** Options: where it runs, and the clock (a manual clock by default, so jobs move only on advance()). */
export interface HarnessOptions {
  readonly mode?: "in-process" | "http";
  readonly clock?: Clock;
  readonly latencyMs?: number;
  /** Serve this catalog (a fixture by name, or a catalog) instead of fixtures/catalog/manifest.json. */
  readonly catalog?: CatalogFixtureName | Catalog;
}

/** Start a fake API; in-process by default. */
export async function startFakeApi(options: HarnessOptions = {}): Promise<FakeApiHarness> {
  const catalog = typeof options.catalog === "string" ? await loadCatalogFixture(options.catalog) : options.catalog;
  const api = createFakeApi({ clock: options.clock ?? manualClock(), latencyMs: options.latencyMs, catalog });
  if (options.mode === "http") {
    const server = await serveFakeApiHttp(api, { port: 0, hostname: "127.0.0.1" });
    return { api, url: server.url, close: () => server.close() };
  }
  const handle = await startFakeApiInProcess(api);
  return { api, url: api.baseUrl, close: () => handle.close() };
}

/** A parsed answer of the fake API. */
export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  // deno-lint-ignore no-explicit-any
  readonly body: any;
}

/** Options of {@link call}. */
export interface CallOptions {
  readonly body?: unknown;
  readonly query?: Record<string, string>;
  /** Token to send; `null` sends no Authorization header. Defaults to the demo token. */
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
}

/** Send one request to a running fake API and parse its JSON answer (undefined when empty). */
export async function call(harness: Pick<FakeApiHarness, "url">, method: string, path: string, options: CallOptions = {}): Promise<ApiAnswer> {
  const search = options.query === undefined ? "" : `?${new URLSearchParams(options.query)}`;
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const token = options.token === undefined ? DEMO_TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${harness.url}${path}${search}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) };
}
