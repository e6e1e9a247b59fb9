/**
 * `runos login`, `runos logout`, `runos whoami`. Login checks the token against the API (the
 * `account/show` command, `GET /:aid/account`) before saving anything, so a rejected token leaves the
 * previous credentials exactly as they were. The token is never printed.
 */
import process from "node:process";
import { text as readStreamText } from "node:stream/consumers";
import { type Command, Option } from "@commander-js/extra-typings";
import { z } from "zod";
import { type ApiClient, createApiClient, notAuthenticated } from "../../api/client.ts";
import type { ApiUrlOrigin } from "../../api/origin.ts";
import { validateClusterReference } from "../../cluster_id.ts";
import {
  apiUrlWarning,
  configDir as defaultConfigDir,
  DEFAULT_API_URL,
  type Env,
  processEnv,
  readConfig,
  readReplacingCorrupt,
  resolveProfileName,
  writeConfig,
} from "../../auth/config.ts";
import { checkAuthEnv, credentialsPath, readCredentials, removeApiKey, saveApiKey } from "../../auth/credentials.ts";
import { openSession, requireSignedIn } from "../../auth/session.ts";
import { updateCatalog } from "../../catalog/fetch.ts";
import { AuthError, NotFoundError, PermissionDeniedError, RunosError, UsageError } from "../../errors.ts";
import { stdinIsTTY } from "../../runtime.ts";
import type { CliContext } from "../context.ts";
import { ask, askSecret } from "../prompt.ts";

/** What the account endpoint tells us about the caller. */
const AccountSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  user: z.looseObject({ email: z.string().optional(), name: z.string().optional() }).optional(),
});
type Account = z.infer<typeof AccountSchema>;

/** Seams for tests: environment, config location, network and terminal. */
export interface LoginDeps {
  readonly env?: Env;
  readonly configDir?: string;
  readonly fetch?: typeof fetch;
  readonly readStdin?: () => Promise<string>;
  readonly stdinIsTTY?: () => boolean;
  readonly askSecret?: (question: string) => Promise<string>;
  /** Ask a visible question (the account id). */
  readonly ask?: (question: string) => Promise<string>;
}

const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Register `login`, `logout` and `whoami` on the root program. */
export function registerLoginCommands(program: Command, context: CliContext, deps: LoginDeps = {}): void {
  const env = (): Env => deps.env ?? processEnv();
  const dir = (): string => deps.configDir ?? defaultConfigDir(env());

  program
    .command("login")
    .description("sign in with a RunOS personal access token (checked against the API before it is saved)")
    .option("--api-key <pat>", "the personal access token (prefer --with-token or the prompt: flags end up in shell history)")
    .addOption(new Option("--token <pat>", "same as --api-key").hideHelp())
    .option("--with-token", "read the token from standard input")
    .option("--account-id <id>", "the RunOS account id (env RUNOS_ACCOUNT_ID; default: the stored one)")
    .option("--cluster <cid>", "default cluster for cluster commands, by id or name")
    .action(async (options) => {
      const globals = context.globals();
      if (globals.sandbox) throw new UsageError("the sandbox needs no login", { hint: "run commands with --sandbox directly" });
      const environment = env();
      checkAuthEnv(environment);
      const configDirectory = dir();
      const warn = (message: string) => context.stderr(`warning: ${message}`);
      // Login replaces the files anyway: a corrupt one is kept aside, not a reason to refuse.
      const config = await readReplacingCorrupt(() => readConfig(configDirectory), warn);
      await readReplacingCorrupt(() => readCredentials(configDirectory), warn);
      const profile = resolveProfileName(globals.profile, environment, config);
      const stored = config.profiles[profile] ?? {};
      const interactive = (deps.stdinIsTTY ?? stdinIsTTY)() && options.withToken !== true;

      let accountId = options.accountId ?? nonEmpty(environment.RUNOS_ACCOUNT_ID) ?? stored.account_id;
      if (accountId === undefined && interactive) accountId = (await (deps.ask ?? ask)("RunOS account id: ")).trim() || undefined;
      if (accountId === undefined) {
        throw new UsageError("account id required: pass --account-id <id> (or set RUNOS_ACCOUNT_ID)", {
          hint: "runos login --account-id <id>  (on a terminal it asks for the token; else pipe it in with --with-token)",
        });
      }
      if (!ACCOUNT_ID_PATTERN.test(accountId)) {
        throw new UsageError(`invalid account id "${accountId}": expected 1–64 letters, digits, '-' or '_'`);
      }
      const cluster = options.cluster === undefined ? undefined : validateClusterReference(options.cluster);
      const apiUrl = (globals.apiUrl ?? nonEmpty(environment.RUNOS_API_URL) ?? stored.api_url ?? DEFAULT_API_URL).replace(/\/+$/, "");
      const warning = apiUrlWarning(apiUrl);
      if (warning !== undefined) context.stderr(`warning: ${warning}`);

      const token = await readToken({ apiKey: options.apiKey ?? options.token, withToken: options.withToken }, deps);
      const urlOrigin: ApiUrlOrigin = globals.apiUrl !== undefined ? "flag" : nonEmpty(environment.RUNOS_API_URL) !== undefined ? "env" : stored.api_url !== undefined ? "profile" : "default";
      const client = createApiClient({ baseUrl: apiUrl, token, fetch: deps.fetch, retries: 0, origin: { url: urlOrigin } });
      const account = await verifyToken(client, accountId, apiUrl);

      await writeConfig(configDirectory, {
        ...config,
        current_profile: config.current_profile ?? profile,
        profiles: {
          ...config.profiles,
          [profile]: {
            ...stored,
            account_id: accountId,
            // The URL the token was checked against is the one it belongs to (flag or RUNOS_API_URL).
            ...(apiUrl === DEFAULT_API_URL && stored.api_url === undefined ? {} : { api_url: apiUrl }),
            ...(cluster === undefined ? {} : { default_cluster_id: cluster }),
          },
        },
      });
      await saveApiKey(configDirectory, profile, token);
      // The tools a user sees next should be the ones RunOS serves, not the embedded baseline.
      const catalog = await downloadCatalogNow({ profile, env: environment, configDir: configDirectory, ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }) });
      if (catalog.error !== undefined) {
        context.stderr(`warning: could not download the command catalog now (${catalog.error}); \`runos manifest update\` retries, and runos checks hourly`);
      }

      const user = userLabel(account);
      if (globals.json) {
        context.stdout(JSON.stringify({ profile, accountId, user, apiUrl, defaultClusterId: cluster ?? stored.default_cluster_id ?? null, credentialsPath: credentialsPath(configDirectory), catalogVersion: catalog.version ?? null }, null, 2));
      } else {
        context.stdout(`Logged in to account ${accountId} as ${user ?? "(unknown user)"} (profile ${profile})`);
      }
      if (environment.RUNOS_API_KEY !== undefined) {
        context.stderr("warning: RUNOS_API_KEY is set and takes precedence over the stored login; unset it to use this one");
      }
    });

  program
    .command("logout")
    .description("forget the stored token of the profile (API URL and default cluster are kept)")
    .action(async () => {
      const globals = context.globals();
      const environment = env();
      const configDirectory = dir();
      const warn = (message: string) => context.stderr(`warning: ${message}`);
      const config = await readReplacingCorrupt(() => readConfig(configDirectory), warn);
      await readReplacingCorrupt(() => readCredentials(configDirectory), warn);
      const profile = resolveProfileName(globals.profile, environment, config);
      const removed = await removeApiKey(configDirectory, profile);
      if (globals.json) context.stdout(JSON.stringify({ profile, loggedOut: removed }));
      else context.stdout(removed ? `Logged out (profile ${profile}); API URL and default cluster kept` : `Not logged in (profile ${profile})`);
      if (environment.RUNOS_API_KEY !== undefined) context.stderr("warning: RUNOS_API_KEY is still set in your environment and still authenticates");
    });

  program
    .command("whoami")
    .description("show the profile, API URL, account and user in use, and where the token comes from")
    .action(async () => {
      const globals = context.globals();
      const environment = env();
      const session = await openSession({
        profile: globals.profile,
        apiUrl: globals.apiUrl,
        sandbox: globals.sandbox,
        env: environment,
        ...(deps.configDir === undefined ? {} : { configDir: deps.configDir }),
        ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
      });
      try {
        for (const warning of session.warnings ?? []) context.stderr(`warning: ${warning}`);
        requireSignedIn(session);
        if (session.accountId === undefined) throw notAuthenticated();
        const account = AccountSchema.catch({}).parse(await session.client.send({ method: "GET", path: `/${encodeURIComponent(session.accountId)}/account`, idempotent: true }));
        const tokenFrom = session.tokenSource === "env"
          ? "RUNOS_API_KEY (environment)"
          : session.tokenSource === "file" && session.configDir !== undefined
          ? credentialsPath(session.configDir)
          : session.tokenSource ?? "none";
        const info = {
          profile: session.profile,
          apiUrl: session.apiUrl,
          accountId: session.accountId,
          user: userLabel(account) ?? null,
          tokenSource: session.tokenSource,
          tokenFrom,
          defaultClusterId: session.defaultClusterId ?? null,
          sandbox: session.sandbox,
        };
        if (globals.json) {
          context.stdout(JSON.stringify(info, null, 2));
          return;
        }
        context.stdout([
          `Profile:         ${info.profile}${session.sandbox ? " (sandbox)" : ""}`,
          `API:             ${info.apiUrl}`,
          `Account:         ${info.accountId}`,
          `User:            ${info.user ?? "(unknown)"}`,
          `Token from:      ${tokenFrom}`,
          `Default cluster: ${info.defaultClusterId ?? "(none)"}`,
        ].join("\n"));
      } finally {
        await session.close();
      }
    });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function userLabel(account: Account): string | undefined {
  return account.user?.email ?? account.email ?? account.user?.name;
}

/** Download and cache the signed-in profile's catalog; a failure is reported, never fatal. */
async function downloadCatalogNow(options: { profile: string; env: Env; configDir: string; fetch?: typeof fetch }): Promise<{ version?: string; error?: string }> {
  let session;
  try {
    session = await openSession(options);
    const update = await updateCatalog(session, { force: true });
    return { version: update.version };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    await session?.close().catch(() => {});
  }
}

/** The token from --api-key, --with-token (stdin) or a hidden prompt on a terminal. */
async function readToken(options: { apiKey?: string; withToken?: true }, deps: LoginDeps): Promise<string> {
  if (options.apiKey !== undefined && options.withToken === true) {
    throw new UsageError("pass either --api-key or --with-token, not both");
  }
  let token: string;
  if (options.apiKey !== undefined) token = options.apiKey;
  else if (options.withToken === true) token = await (deps.readStdin ?? (() => readStreamText(process.stdin)))();
  else if ((deps.stdinIsTTY ?? stdinIsTTY)()) token = await (deps.askSecret ?? askSecret)("RunOS personal access token: ");
  else {
    throw new UsageError("no token given and standard input is not a terminal", {
      hint: "pipe it in: `runos login --with-token --account-id <id> < token-file` (or run `runos login` on a terminal, which asks for it)",
    });
  }
  token = token.trim();
  if (token === "") throw new UsageError("the token is empty", { hint: "create a personal access token in the RunOS console" });
  if (/\s/.test(token)) throw new UsageError("the token contains whitespace; paste only the token itself");
  return token;
}

/** Ask the API who this token is; anything but success means nothing gets saved. */
async function verifyToken(client: ApiClient, accountId: string, apiUrl: string): Promise<Account> {
  const nothingSaved = "nothing was saved and your previous login is unchanged";
  try {
    const value = await client.send({ method: "GET", path: `/${encodeURIComponent(accountId)}/account`, idempotent: true });
    return AccountSchema.catch({}).parse(value);
  } catch (error) {
    if (error instanceof AuthError) {
      const reason = typeof error.details?.reason === "string" ? ` (${error.details.reason})` : "";
      throw new AuthError(`the RunOS API at ${apiUrl} refused this token${reason}; ${nothingSaved}`, {
        hint: "create a new personal access token in the RunOS console, then run `runos login` (it asks for the token)",
        details: error.details,
      });
    }
    if (error instanceof PermissionDeniedError || error instanceof NotFoundError) {
      throw new AuthError(`this token cannot access account ${accountId}; ${nothingSaved}`, {
        hint: "check --account-id (the account the token was created in)",
        details: error.details,
      });
    }
    if (error instanceof RunosError) error.message = `${error.message}; ${nothingSaved}`;
    throw error;
  }
}
