/**
 * A profile as a signed-in RunOS user has it: RUNOS_API_KEY and RUNOS_ACCOUNT_ID, and a RunOS-sized
 * catalog (fixtures/catalog/runos_full.json, 999 commands) cached by `runos manifest update` itself
 * (the cache, its metadata and whatever else that command writes, exactly as `runos login` leaves
 * them), against the fake API served for the occasion. The background catalog check is recorded as
 * just done, and the account's toolsets are cached as the first server of the day caches them (by
 * fetchToolsets, against the same API), so the servers started on it read the caches and touch no
 * network: without the toolsets cache every start would try the API again in the background after
 * `initialized`, failing, and load the HTTP client for it.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { createApiClient } from "../../src/api/client.ts";
import { fetchToolsets } from "../../src/catalog/toolsets.ts";
import { createFakeApi, DEMO_ACCOUNT_ID, DEMO_TOKEN, loadCatalogFixture, serveFakeApiHttp } from "../../src/fake_api/mod.ts";
import { markCatalogChecked, REPO_ROOT, runosEnv } from "../_harness/mcp_client.ts";

/** Cache the RunOS-sized catalog under `home` with `binary` and return the environment of that profile. */
export async function cacheRunosSizedCatalog(binary: string, home: string): Promise<Record<string, string>> {
  const http = await serveFakeApiHttp(createFakeApi({ catalog: await loadCatalogFixture("runos_full") }), { port: 0, hostname: "127.0.0.1" });
  try {
    const env = runosEnv({ configDir: home, apiUrl: http.url, apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID });
    env.XDG_CACHE_HOME = join(home, "cache");
    await promisify(execFile)(binary, ["manifest", "update"], { cwd: REPO_ROOT, env, timeout: 60_000 });
    await fetchToolsets(createApiClient({ baseUrl: http.url, token: DEMO_TOKEN }), DEMO_ACCOUNT_ID, "default", env.XDG_CACHE_HOME);
    await markCatalogChecked(home);
    return env;
  } finally {
    await http.close();
  }
}
