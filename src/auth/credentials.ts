/**
 * The personal access token: from RUNOS_API_KEY (headless use) or from `credentials.json`
 * (`{"profiles": {name: {api_key}}}`, mode 0600, written atomically). The token is only ever read
 * here and handed to the API client; it is never printed.
 */
import { join } from "node:path";
import { readTextIfExists, writeFileAtomic } from "../atomic_write.ts";
import { UsageError } from "../errors.ts";
import { type Env, parseJsonFile } from "./config.ts";
import type { Credentials } from "./file_schemas.ts";

export type { Credentials } from "./file_schemas.ts";

/** Where a token came from. */
export type TokenSource = "env" | "file" | "none";

/** The token and account a profile authenticates with. */
export interface ResolvedCredentials {
  readonly token?: string;
  /** From RUNOS_ACCOUNT_ID when set; the stored account lives in config.json. */
  readonly envAccountId?: string;
  readonly source: TokenSource;
}

/** Path of credentials.json inside `dir`. */
export function credentialsPath(dir: string): string {
  return join(dir, "credentials.json");
}

/** Read credentials.json; missing → no credentials; unparsable → ConfigFileError (file left alone). */
export async function readCredentials(dir: string): Promise<Credentials> {
  const path = credentialsPath(dir);
  const text = await readTextIfExists(path);
  if (text === undefined) return { profiles: {} };
  const { CredentialsSchema } = await import("./file_schemas.ts");
  return parseJsonFile(path, text, CredentialsSchema);
}

/** Store a profile's token: atomic write, mode 0600, other profiles kept. */
export async function saveApiKey(dir: string, profile: string, apiKey: string): Promise<void> {
  const credentials = await readCredentials(dir);
  const profiles = { ...credentials.profiles, [profile]: { ...credentials.profiles[profile], api_key: apiKey } };
  await writeCredentials(dir, { ...credentials, profiles });
}

/** Forget a profile's token; true when there was one. */
export async function removeApiKey(dir: string, profile: string): Promise<boolean> {
  const credentials = await readCredentials(dir);
  const entry = credentials.profiles[profile];
  if (entry?.api_key === undefined) return false;
  const { api_key: _removed, ...rest } = entry;
  const profiles = { ...credentials.profiles, [profile]: rest };
  if (Object.keys(rest).length === 0) delete profiles[profile];
  await writeCredentials(dir, { ...credentials, profiles });
  return true;
}

async function writeCredentials(dir: string, credentials: Credentials): Promise<void> {
  await writeFileAtomic(credentialsPath(dir), `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, dirMode: 0o700 });
}

/**
 * Refuse RUNOS_API_KEY or RUNOS_ACCOUNT_ID set to an empty string: almost always a broken script,
 * and silently falling back to another identity would be worse.
 */
export function checkAuthEnv(env: Env): void {
  // RUNOS_API_URL too: an empty one would silently send the stored token to the default API.
  for (const name of ["RUNOS_API_KEY", "RUNOS_ACCOUNT_ID", "RUNOS_API_URL"] as const) {
    const value = env[name];
    if (value !== undefined && value.trim() === "") {
      throw new UsageError(`${name} is set but empty; unset it to use the stored login, or set it to a real value`, {
        hint: `unset ${name}`,
      });
    }
  }
}

/** The token for `profile`: RUNOS_API_KEY first, then the credentials file. */
export async function resolveCredentials(dir: string, profile: string, env: Env): Promise<ResolvedCredentials> {
  checkAuthEnv(env);
  const envAccountId = env.RUNOS_ACCOUNT_ID?.trim();
  const account = envAccountId === undefined ? {} : { envAccountId };
  const envToken = env.RUNOS_API_KEY?.trim();
  if (envToken !== undefined) return { token: envToken, source: "env", ...account };
  const stored = (await readCredentials(dir)).profiles[profile]?.api_key?.trim();
  if (stored !== undefined && stored !== "") return { token: stored, source: "file", ...account };
  return { source: "none", ...account };
}
