/**
 * Where runos keeps its files and what `config.json` holds: named profiles, each with an API URL,
 * an account id and a default cluster, plus the current profile. Environment variables win over the
 * file; an unparsable file is reported, never overwritten. The files' schemas (file_schemas.ts, and
 * zod) load only when a file is there to read, and the words for a syntax error (json_syntax.ts, and
 * jsonc-parser) only when a file fails to parse.
 */
import { homedir } from "node:os";
import { rename, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import process from "node:process";
import type { z } from "zod";
import { readTextIfExists, writeFileAtomic } from "../atomic_write.ts";
import { ConfigFileError, UsageError } from "../errors.ts";
import { CLUSTER_REFERENCE_PATTERN, CLUSTER_REFERENCE_RULE } from "../cluster_id.ts";
import type { Config, Profile } from "./file_schemas.ts";
import type { ApiUrlOrigin } from "../api/origin.ts";

export type { Config, Profile } from "./file_schemas.ts";

/** Environment variables, passed explicitly so tests need not touch process.env. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The real environment. */
export function processEnv(): Env {
  return process.env;
}

/** The RunOS API used when nothing else is configured. */
export const DEFAULT_API_URL = "https://api.runos.com";
/** The profile used when none is named. */
export const DEFAULT_PROFILE = "default";

/** runos's config directory: $RUNOS_CONFIG_DIR, else $XDG_CONFIG_HOME/runos, else ~/.config/runos. */
export function configDir(env: Env = processEnv()): string {
  if (nonEmpty(env.RUNOS_CONFIG_DIR)) return env.RUNOS_CONFIG_DIR!;
  if (nonEmpty(env.XDG_CONFIG_HOME)) return join(env.XDG_CONFIG_HOME!, "runos");
  return join(homeDir(env), ".config", "runos");
}

/** The manifest cache directory: $RUNOS_CONFIG_DIR/cache, else $XDG_CACHE_HOME/runos, else ~/.cache/runos. */
export function cacheDir(env: Env = processEnv()): string {
  if (nonEmpty(env.RUNOS_CONFIG_DIR)) return join(env.RUNOS_CONFIG_DIR!, "cache");
  if (nonEmpty(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME!, "runos");
  return join(homeDir(env), ".cache", "runos");
}

/** runos's state directory (the audit log, the shared sandbox): $RUNOS_CONFIG_DIR/state, else $XDG_STATE_HOME/runos, else ~/.local/state/runos. */
export function stateDir(env: Env = processEnv()): string {
  if (nonEmpty(env.RUNOS_CONFIG_DIR)) return join(env.RUNOS_CONFIG_DIR!, "state");
  if (nonEmpty(env.XDG_STATE_HOME)) return join(env.XDG_STATE_HOME!, "runos");
  return join(homeDir(env), ".local", "state", "runos");
}

function homeDir(env: Env): string {
  return env.HOME ?? env.USERPROFILE ?? homedir();
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== "";
}

/** Path of config.json inside `dir`. */
export function configPath(dir: string): string {
  return join(dir, "config.json");
}

/** Read config.json; missing → empty config; unparsable → ConfigFileError (the file is left alone). */
export async function readConfig(dir: string): Promise<Config> {
  const path = configPath(dir);
  const text = await readTextIfExists(path);
  if (text === undefined) return { profiles: {} };
  const { ConfigSchema } = await import("./file_schemas.ts");
  return parseJsonFile(path, text, ConfigSchema);
}

/** Write config.json atomically (directory 0700, file 0600). */
export async function writeConfig(dir: string, config: Config): Promise<void> {
  await writeFileAtomic(configPath(dir), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, dirMode: 0o700 });
}

/**
 * One of runos's own files (config.json, credentials.json) that is there but unreadable as what it
 * should be. `runos login` and `logout` move such a file aside ({@link moveAsideCorruptFile}) and
 * start a new one; every other command reports it and leaves it alone.
 */
export class CorruptConfigFileError extends ConfigFileError {}

/** The hint for a corrupt file of runos's own. */
function corruptHint(path: string): string {
  return `fix or remove ${path} (runos left it untouched), or run \`runos login\`, which keeps it as ${basename(path)}.bak-<time> and starts a new one`;
}

/** Parse a JSON file through a schema, turning any problem into a CorruptConfigFileError naming the file (and where it breaks). */
export async function parseJsonFile<T>(path: string, text: string, schema: z.ZodType<T>): Promise<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const { describeJsonSyntaxError, findJsonSyntaxError } = await import("../json_syntax.ts");
    const where = findJsonSyntaxError(text);
    const reason = where === undefined ? (error instanceof Error ? error.message : String(error)) : describeJsonSyntaxError(where);
    throw new CorruptConfigFileError(path, `${path} is not valid JSON (${reason})`, { hint: corruptHint(path) });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problem = parsed.error.issues[0];
    throw new CorruptConfigFileError(path, `${path} has an unexpected shape (${problem?.path.join(".") ?? ""}: ${problem?.message ?? "invalid"})`, {
      hint: corruptHint(path),
    });
  }
  return parsed.data;
}

/** `20261201T101530Z`: a timestamp safe in file names on every system. */
export function fileTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "");
}

/** Rename a corrupt file to `<file>.bak-<timestamp>` (kept, mode unchanged); returns the new path. */
export async function moveAsideCorruptFile(path: string, date: Date = new Date()): Promise<string> {
  let backup = `${path}.bak-${fileTimestamp(date)}`;
  for (let n = 2; await exists(backup); n++) backup = `${path}.bak-${fileTimestamp(date)}-${n}`;
  await rename(path, backup);
  return backup;
}

async function exists(path: string): Promise<boolean> {
  return await stat(path).then(() => true, () => false);
}

/**
 * Read one of runos's own files with `read`; when it is corrupt, move it aside, tell `warn`, and
 * read again (now: as missing). For the commands that replace the file anyway (login, logout).
 */
export async function readReplacingCorrupt<T>(read: () => Promise<T>, warn: (message: string) => void): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof CorruptConfigFileError)) throw error;
    const backup = await moveAsideCorruptFile(error.path);
    warn(`${error.message}; kept it as ${backup} and started a new ${basename(error.path)}`);
    return await read();
  }
}

/** What a profile name may be: a letter or digit, then up to 63 letters, digits, `_`, `.` or `-`. */
export const PROFILE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The profile in use: the explicit one, else $RUNOS_PROFILE, else the config's current one, else "default". */
export function resolveProfileName(explicit: string | undefined, env: Env, config: Config): string {
  const name = [explicit, env.RUNOS_PROFILE, config.current_profile].find((candidate) => candidate !== undefined && candidate.trim() !== "");
  const profile = name?.trim() ?? DEFAULT_PROFILE;
  if (!PROFILE_NAME_PATTERN.test(profile)) {
    throw new UsageError(`invalid profile name "${profile}"`, { hint: "use letters, digits, '-', '_' or '.'" });
  }
  return profile;
}

/** Settings of one profile after the environment and flags are applied. */
export interface ResolvedSettings {
  readonly profile: string;
  readonly apiUrl: string;
  /** Which of flag, environment, profile or default gave {@link apiUrl}. */
  readonly apiUrlOrigin: ApiUrlOrigin;
  readonly accountId?: string;
  readonly defaultClusterId?: string;
  /** Things the user should hear about (e.g. a plain-http API URL). */
  readonly warnings: string[];
}

/** Apply flags and environment over the stored profile: flag > env > file > default. */
export function resolveSettings(config: Config, options: { profile?: string; apiUrl?: string; env: Env }): ResolvedSettings {
  const { env } = options;
  const profile = resolveProfileName(options.profile, env, config);
  const stored: Profile = config.profiles[profile] ?? {};
  const given = ([["flag", options.apiUrl], ["env", env.RUNOS_API_URL], ["profile", stored.api_url]] as const)
    .map(([origin, value]) => ({ origin, url: firstSet(value) }))
    .find(({ url }) => url !== undefined);
  const apiUrl = given?.url ?? DEFAULT_API_URL;
  const apiUrlOrigin: ApiUrlOrigin = given?.origin ?? "default";
  const accountId = firstSet(env.RUNOS_ACCOUNT_ID, stored.account_id);
  const warnings: string[] = [];
  const warning = apiUrlWarning(apiUrl);
  if (warning !== undefined) warnings.push(warning);
  const defaultClusterId = [
    { value: firstSet(env.RUNOS_CLUSTER_ID), source: "RUNOS_CLUSTER_ID" },
    { value: firstSet(stored.default_cluster_id), source: `default_cluster_id of profile ${profile}` },
  ].find(({ value, source }) => {
    if (value === undefined) return false;
    if (CLUSTER_REFERENCE_PATTERN.test(value)) return true;
    warnings.push(`ignoring ${source}=${JSON.stringify(value)}: expected ${CLUSTER_REFERENCE_RULE}`);
    return false;
  })?.value;
  return {
    profile,
    apiUrl: apiUrl.replace(/\/+$/, ""),
    apiUrlOrigin,
    ...(accountId === undefined ? {} : { accountId }),
    ...(defaultClusterId === undefined ? {} : { defaultClusterId }),
    warnings,
  };
}

function firstSet(...values: (string | undefined)[]): string | undefined {
  return values.find((value) => value !== undefined && value.trim() !== "")?.trim();
}

/** A warning for an API URL that sends the token in clear text (plain http to anything but this machine). */
export function apiUrlWarning(apiUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new UsageError(`invalid API URL "${apiUrl}"`, { hint: "pass an http(s) URL with --api-url or RUNOS_API_URL" });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new UsageError(`invalid API URL "${apiUrl}": only http and https are supported`, { hint: "pass an https:// URL" });
  }
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  if (url.protocol === "http:" && !local) {
    return `the API URL ${apiUrl} is not HTTPS: your token would travel unencrypted`;
  }
  return undefined;
}
