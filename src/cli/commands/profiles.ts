/**
 * `runos profiles [list] | use <name>`: the named profiles of config.json (each with its account, API
 * URL and default cluster, and whether a token is stored) and which one is current.
 */
import type { Command } from "@commander-js/extra-typings";
import type { Command as PlainCommand } from "commander";
import { configDir as defaultConfigDir, DEFAULT_API_URL, type Env, processEnv, readConfig, resolveProfileName, writeConfig } from "../../auth/config.ts";
import { readCredentials } from "../../auth/credentials.ts";
import { NotFoundError } from "../../errors.ts";
import type { CliContext } from "../context.ts";
import { renderTable } from "../render.ts";
import { styleFor } from "../style.ts";
import { unknownCommandError } from "../suggest.ts";

/** Seams for tests: environment and config location (shared with `runos config`). */
export interface ProfileDeps {
  readonly env?: Env;
  readonly configDir?: string;
}

/** Register `profiles list|use` on the root program; `runos profiles` alone lists, as `gh auth status` shows. */
export function registerProfileCommands(program: Command, context: CliContext, deps: ProfileDeps = {}): void {
  const env = (): Env => deps.env ?? processEnv();
  const dir = (): string => deps.configDir ?? defaultConfigDir(env());

  const profiles = program.command("profiles").description("list the named profiles (the default), or choose the current one");

  const list = async (): Promise<void> => {
    const globals = context.globals();
    const config = await readConfig(dir());
    const credentials = await readCredentials(dir());
    const current = resolveProfileName(globals.profile, env(), config);
    const names = [...new Set([...Object.keys(config.profiles), ...Object.keys(credentials.profiles)])].sort();
    const rows = names.map((name) => {
      const profile = config.profiles[name] ?? {};
      return {
        current: name === current,
        name,
        accountId: profile.account_id ?? null,
        apiUrl: profile.api_url ?? DEFAULT_API_URL,
        defaultClusterId: profile.default_cluster_id ?? null,
        signedIn: typeof credentials.profiles[name]?.api_key === "string",
      };
    });
    if (globals.json) {
      context.stdout(JSON.stringify(rows, null, 2));
      return;
    }
    if (rows.length === 0) {
      context.stdout("No profiles yet: `runos login` creates the default one (`runos --profile <name> login` another).");
      return;
    }
    const table = rows.map((row) => ({
      " ": row.current ? "*" : "",
      name: row.name,
      account: row.accountId ?? "",
      apiUrl: row.apiUrl,
      defaultCluster: row.defaultClusterId ?? "",
      token: row.signedIn ? "stored" : "none",
    }));
    context.stdout(renderTable(table, [" ", "name", "account", "apiUrl", "defaultCluster", "token"], styleFor(globals.color)));
    if (env().RUNOS_PROFILE !== undefined && globals.profile === undefined) context.stderr(`RUNOS_PROFILE=${env().RUNOS_PROFILE} chooses the current profile here`);
  };

  // The group's own action: `runos profiles` lists; a word that names no subcommand is still an error.
  profiles
    .allowExcessArguments(true)
    .action(async (_options, command) => {
      const [word] = command.args;
      if (word !== undefined) throw unknownCommandError(word, command as unknown as PlainCommand, ["profiles"]);
      await list();
    });

  profiles
    .command("list")
    .description("list the profiles: account, API URL, default cluster, whether a token is stored; * marks the current one")
    .action(list);

  profiles
    .command("use")
    .description("make a profile the current one (used when neither --profile nor RUNOS_PROFILE is given)")
    .argument("<name>", "a profile name (see `runos profiles list`)")
    .action(async (name) => {
      const globals = context.globals();
      const config = await readConfig(dir());
      if (!Object.hasOwn(config.profiles, name)) {
        const known = Object.keys(config.profiles).sort();
        throw new NotFoundError(`no such profile "${name}"${known.length > 0 ? `; the profiles are: ${known.join(", ")}` : "; there are no profiles yet"}`, {
          hint: `sign in to create it: \`runos --profile ${name} login\``,
        });
      }
      await writeConfig(dir(), { ...config, current_profile: name });
      if (globals.json) context.stdout(JSON.stringify({ currentProfile: name }));
      else context.stdout(`Now using profile ${name}`);
      if (env().RUNOS_PROFILE !== undefined && env().RUNOS_PROFILE !== name) {
        context.stderr(`warning: RUNOS_PROFILE=${env().RUNOS_PROFILE} is set and still wins over the current profile`);
      }
    });
}
