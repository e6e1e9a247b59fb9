/**
 * A session: the resolved profile, API URL, account, default cluster and an ApiClient carrying the
 * token (created by its first request). `sandbox: true` talks to the fake RunOS API instead, with the demo
 * credentials: the one this user's processes share when the process was told to (shared_sandbox.ts),
 * else one in-process; either starts with the first request.
 */
import type { ApiClient, ApiClientOptions } from "../api/client.ts";
import type { ApiUrlOrigin } from "../api/origin.ts";
import { notAuthenticated } from "../api/login_hint.ts";
import { AuthError, NotFoundError, type RunosError } from "../errors.ts";
import type { Sleep } from "../api/retry.ts";
import { createLogger, type Logger } from "../log.ts";
import type { LogLevel } from "../log.ts";
import { cacheDir as defaultCacheDir, configDir as defaultConfigDir, type Env, processEnv, readConfig, resolveSettings } from "./config.ts";
import { resolveCredentials, type TokenSource } from "./credentials.ts";
import { joinSharedSandbox, type SandboxShare, sharedSandbox } from "./shared_sandbox.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN, SANDBOX_API_URL } from "../fake_api/demo.ts";

/** What commands and servers work with. */
export interface Session {
  readonly profile: string;
  readonly apiUrl: string;
  /** Which of `--api-url`, RUNOS_API_URL, the profile or the default gave {@link apiUrl} (none in the sandbox). */
  readonly apiUrlOrigin?: ApiUrlOrigin;
  readonly accountId?: string;
  readonly defaultClusterId?: string;
  /** A token is available (it may still be refused by the API). */
  readonly authenticated: boolean;
  readonly client: ApiClient;
  readonly sandbox: boolean;
  /**
   * In the sandbox, how long what it holds (a job started) lives: `shared`, the sandbox this user's
   * `--sandbox` commands share, kept `lingerMs` after the last of them; `in-process`, one that stops
   * with this process.
   */
  readonly sandboxHost?: { readonly kind: "shared"; readonly lingerMs?: number } | { readonly kind: "in-process" };
  /** Where the token came from: RUNOS_API_KEY, the credentials file, the sandbox, or nowhere. */
  readonly tokenSource?: TokenSource | "sandbox";
  /** Directory of config.json and credentials.json; undefined in the sandbox. */
  readonly configDir?: string;
  /** Manifest cache directory; undefined in the sandbox (nothing is written). */
  readonly cacheDir?: string;
  /** Things to tell the user on stderr (e.g. a plain-http API URL). */
  readonly warnings?: readonly string[];
  /**
   * The profile was asked for by name (`--profile`, RUNOS_PROFILE) but config.json has no such
   * profile: its name and the profiles there are.
   */
  readonly missingProfile?: { readonly name: string; readonly known: readonly string[] };
  /**
   * A secret of this sign-in (its API URL, account and token), shared by every runos process of it and
   * by no one who cannot already call the API as the user: the MCP servers key their confirmation
   * tokens with it, so the read server's preview_destructive issues tokens the write servers accept.
   * Never printed, logged or written.
   */
  readonly confirmSecret?: string;
  /** Release what the session started (the in-process fake API). */
  close(): Promise<void>;
}

/**
 * Why this session cannot call the account's API, in the words that fix it: RUNOS_API_KEY without
 * RUNOS_ACCOUNT_ID, a profile that does not exist, a stored token without an account, or no login.
 * Undefined when it is signed in.
 */
export function signInProblem(session: Session): RunosError | undefined {
  if (session.authenticated) return undefined;
  if (session.tokenSource === "env" && session.accountId === undefined) {
    return new AuthError("RUNOS_API_KEY is set but RUNOS_ACCOUNT_ID is not: the API needs the account id too", {
      hint: "export RUNOS_ACCOUNT_ID=<your account id> (or unset RUNOS_API_KEY and run `runos login`)",
    });
  }
  if (session.missingProfile !== undefined) {
    const { name, known } = session.missingProfile;
    const list = known.length > 0 ? `; the profiles are: ${known.join(", ")}` : "; there are no profiles yet";
    return new NotFoundError(`no such profile "${name}"${list}`, {
      hint: `sign in to create it: \`runos --profile ${name} login\` (see \`runos profiles list\`)`,
      details: { profile: name, profiles: [...known] },
    });
  }
  if (session.tokenSource === "file" && session.accountId === undefined) {
    return new AuthError(`profile ${session.profile} has a token but no account id`, { hint: `run \`runos --profile ${session.profile} login --account-id <id>\`` });
  }
  return notAuthenticated();
}

/** Throw {@link signInProblem} when there is one. */
export function requireSignedIn(session: Session): void {
  const problem = signInProblem(session);
  if (problem !== undefined) throw problem;
}

/** Options of {@link openSession}; the last five are for tests and embedding. */
export interface SessionOptions {
  readonly profile?: string;
  readonly apiUrl?: string;
  readonly sandbox?: boolean;
  readonly env?: Env;
  readonly configDir?: string;
  readonly cacheDir?: string;
  readonly fetch?: typeof fetch;
  readonly sleep?: Sleep;
  /** Debug log of API requests (stderr). */
  readonly log?: Logger;
}

/** Resolve profile, credentials and API URL, and build the client. Throws UsageError for set-but-empty auth variables. */
export async function openSession(options: SessionOptions = {}): Promise<Session> {
  if (options.sandbox === true) return await openSandboxSession(options);
  const env = options.env ?? processEnv();
  const dir = options.configDir ?? defaultConfigDir(env);
  const config = await readConfig(dir);
  const settings = resolveSettings(config, { profile: options.profile, apiUrl: options.apiUrl, env });
  const credentials = await resolveCredentials(dir, settings.profile, env);
  const named = [options.profile, env.RUNOS_PROFILE].some((name) => name !== undefined && name.trim() !== "");
  const missingProfile = named && !Object.hasOwn(config.profiles, settings.profile) && credentials.source !== "file"
    ? { name: settings.profile, known: Object.keys(config.profiles).sort() }
    : undefined;
  const accountId = credentials.envAccountId ?? settings.accountId;
  const client = clientOnFirstRequest({
    baseUrl: settings.apiUrl,
    token: credentials.token,
    fetch: options.fetch,
    sleep: options.sleep,
    log: options.log,
    origin: { url: settings.apiUrlOrigin, ...(credentials.source === "none" ? {} : { token: credentials.source }) },
  });
  return {
    profile: settings.profile,
    apiUrl: settings.apiUrl,
    apiUrlOrigin: settings.apiUrlOrigin,
    ...(accountId === undefined ? {} : { accountId }),
    ...(settings.defaultClusterId === undefined ? {} : { defaultClusterId: settings.defaultClusterId }),
    authenticated: credentials.token !== undefined && accountId !== undefined,
    client,
    ...(credentials.token === undefined || accountId === undefined ? {} : { confirmSecret: [settings.apiUrl, accountId, credentials.token].join("\n") }),
    sandbox: false,
    tokenSource: credentials.source,
    configDir: dir,
    cacheDir: options.cacheDir ?? defaultCacheDir(env),
    warnings: settings.warnings,
    ...(missingProfile === undefined ? {} : { missingProfile }),
    close: () => Promise.resolve(),
  };
}

/**
 * The API client, created (and its modules loaded: the HTTP code and the response parsing, with zod)
 * by the first request: an MCP server answers its handshake without any.
 */
function clientOnFirstRequest(options: ApiClientOptions): ApiClient {
  let created: Promise<ApiClient> | undefined;
  const client = () => (created ??= import("../api/client.ts").then(({ createApiClient }) => createApiClient(options)));
  return {
    send: async (request) => await (await client()).send(request),
    exchange: async (request) => await (await client()).exchange!(request),
  };
}

async function openSandboxSession(options: SessionOptions): Promise<Session> {
  const shared = sharedSandbox();
  if (shared !== undefined) return await openSharedSandboxSession(shared, options);
  // The fake API (msw and the fixtures) starts with the sandbox's first request, not before: an MCP
  // server answers initialize and tools/list without it.
  let running: Promise<{ close(): Promise<void> }> | undefined;
  const start = () =>
    running ??= (async () => {
      const [{ createFakeApi }, { startFakeApiInProcess }] = await Promise.all([import("../fake_api/fake_api.ts"), import("../fake_api/in_process.ts")]);
      return await startFakeApiInProcess(createFakeApi({ baseUrl: SANDBOX_API_URL }));
    })();
  const sandboxFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    await start();
    return await fetch(input, init);
  };
  return sandboxSession(sandboxFetch, options, { kind: "in-process" }, async () => {
    const started = await running?.catch(() => undefined);
    await started?.close();
  });
}

/** A sandbox session whose requests go to the sandbox shared by this user's processes (see shared_sandbox.ts). */
async function openSharedSandboxSession(share: SandboxShare, options: SessionOptions): Promise<Session> {
  const joined = await joinSharedSandbox(share.dir, {
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(share.lingerMs === undefined ? {} : { lingerMs: share.lingerMs }),
  });
  return sandboxSession(joined.fetch, options, { kind: "shared", ...(share.lingerMs === undefined ? {} : { lingerMs: share.lingerMs }) }, () => joined.close());
}

/** The demo account's session over `sandboxFetch`, which reaches a fake API (in this process or shared). */
function sandboxSession(sandboxFetch: typeof fetch, options: SessionOptions, host: NonNullable<Session["sandboxHost"]>, close: () => Promise<void>): Session {
  const client = clientOnFirstRequest({ baseUrl: SANDBOX_API_URL, token: DEMO_TOKEN, fetch: sandboxFetch, sleep: options.sleep, log: options.log });
  // Stored profiles belong to real accounts; only the default cluster from the environment applies.
  const { defaultClusterId, warnings } = resolveSettings({ profiles: {} }, { env: { RUNOS_CLUSTER_ID: (options.env ?? processEnv()).RUNOS_CLUSTER_ID } });
  return {
    profile: "sandbox",
    apiUrl: SANDBOX_API_URL,
    accountId: DEMO_ACCOUNT_ID,
    ...(defaultClusterId === undefined ? {} : { defaultClusterId }),
    authenticated: true,
    client,
    confirmSecret: [SANDBOX_API_URL, DEMO_ACCOUNT_ID, DEMO_TOKEN].join("\n"),
    sandbox: true,
    sandboxHost: host,
    tokenSource: "sandbox",
    warnings,
    close,
  };
}

/** The seams a CLI command may pass down to its sessions (tests set them; the CLI leaves them unset). */
export type SessionSeams = Pick<SessionOptions, "env" | "configDir" | "cacheDir" | "fetch">;

/**
 * Open the session a CLI command asked for with its global flags (`--profile`, `--api-url`,
 * `--sandbox`); `--log-level debug` logs each API request (redacted) on stderr.
 */
export function openSessionFor(
  globals: { readonly profile?: string; readonly apiUrl?: string; readonly sandbox: boolean; readonly logLevel?: LogLevel },
  seams: SessionSeams = {},
): Promise<Session> {
  return openSession({
    ...seams,
    profile: globals.profile,
    apiUrl: globals.apiUrl,
    sandbox: globals.sandbox,
    ...(globals.logLevel === undefined ? {} : { log: createLogger({ level: globals.logLevel }) }),
  });
}
