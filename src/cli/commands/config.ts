/**
 * `runos config get | set | unset`: the current profile's settings, the default cluster (`cid`) and the
 * API URL (`api-url`), validated as RunOS's own CLI validates them (a cid is a cluster id or name, not
 * checked against the API, resolved to the id at each call; an http(s) URL). `account-id` is shown, and set only by
 * `runos login`, which checks it against the API.
 */
import type { Command } from "@commander-js/extra-typings";
import type { Command as PlainCommand } from "commander";
import { completeWith } from "../completion/hints.ts";
import {
  apiUrlWarning,
  configDir as defaultConfigDir,
  configPath,
  DEFAULT_API_URL,
  type Env,
  processEnv,
  type Profile,
  readConfig,
  resolveProfileName,
  writeConfig,
} from "../../auth/config.ts";
import { validateClusterReference } from "../../cluster_id.ts";
import { UsageError } from "../../errors.ts";
import type { CliContext } from "../context.ts";
import type { ProfileDeps } from "./profiles.ts";

/** A settable key of `runos config`, its file field and its other spellings. */
interface ConfigKey {
  readonly name: "cid" | "api-url" | "account-id";
  readonly field: keyof Profile & string;
  readonly aliases: readonly string[];
  /** Set only by `runos login`. */
  readonly readOnly?: boolean;
  readonly description: string;
}

/** The keys of `runos config`, in display order. */
export const CONFIG_KEYS: readonly ConfigKey[] = [
  { name: "account-id", field: "account_id", aliases: ["account_id", "accountId"], readOnly: true, description: "the RunOS account (set by `runos login`)" },
  { name: "cid", field: "default_cluster_id", aliases: ["default_cluster_id", "default-cluster", "cluster"], description: "the default cluster of cluster commands, by id or name" },
  { name: "api-url", field: "api_url", aliases: ["api_url", "conductor_url", "apiUrl"], description: "the RunOS API URL" },
];

/** The key `name` stands for (any spelling), or a usage error listing the keys. */
export function configKey(name: string): ConfigKey {
  const key = CONFIG_KEYS.find((candidate) => candidate.name === name || candidate.aliases.includes(name));
  if (key === undefined) {
    throw new UsageError(`unknown config key "${name}"`, { hint: `the keys are: ${CONFIG_KEYS.map((candidate) => candidate.name).join(", ")}` });
  }
  return key;
}

/** Check a value for `key` as RunOS's CLI does; returns it normalised. */
export function validateConfigValue(key: ConfigKey, value: string): string {
  if (key.readOnly === true) {
    throw new UsageError(`${key.name} cannot be set with \`runos config set\``, { hint: "run `runos login --account-id <id>`, which checks it against the API" });
  }
  if (key.name === "cid") return validateClusterReference(value);
  const url = value.trim().replace(/\/+$/, "");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`invalid API URL "${value}": expected an http(s) URL`, { hint: "e.g. runos config set api-url https://api.runos.com" });
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new UsageError(`invalid API URL "${value}": only http and https are supported`, { hint: "pass an https:// URL" });
  }
  return url;
}

/** Register `config get|set|unset` on the root program. */
export function registerConfigCommands(program: Command, context: CliContext, deps: ProfileDeps = {}): void {
  const env = (): Env => deps.env ?? processEnv();
  const dir = (): string => deps.configDir ?? defaultConfigDir(env());

  const config = program.command("config").description("show or change the current profile's settings: cid (default cluster), api-url");

  config
    .command("get")
    .description("show one setting of the profile, or all of them")
    .argument("[key]", `one of: ${CONFIG_KEYS.map((key) => key.name).join(", ")}`)
    .action(async (name) => {
      const globals = context.globals();
      const file = await readConfig(dir());
      const profile = resolveProfileName(globals.profile, env(), file);
      const stored = file.profiles[profile] ?? {};
      const value = (key: ConfigKey): string | null => {
        const set = stored[key.field];
        if (typeof set === "string") return set;
        return key.name === "api-url" ? DEFAULT_API_URL : null;
      };
      if (name !== undefined) {
        const key = configKey(name);
        if (globals.json) context.stdout(JSON.stringify({ profile, key: key.name, value: value(key) }));
        else context.stdout(value(key) ?? "");
        return;
      }
      const all = Object.fromEntries(CONFIG_KEYS.map((key) => [key.name, value(key)]));
      if (globals.json) {
        context.stdout(JSON.stringify({ profile, ...all }, null, 2));
        return;
      }
      const width = Math.max(...["profile", ...CONFIG_KEYS.map((key) => key.name)].map((key) => key.length)) + 1;
      context.stdout([`${"profile:".padEnd(width)} ${profile}`, ...CONFIG_KEYS.map((key) => `${`${key.name}:`.padEnd(width)} ${all[key.name] ?? "(not set)"}`)].join("\n"));
    });

  config
    .command("set")
    .description("change a setting of the profile: cid (a cluster id or name) or api-url (http or https)")
    .argument("<key>", "cid or api-url (also: default_cluster_id, conductor_url)")
    .argument("<value>", "the new value")
    .action(async (name, value) => {
      const globals = context.globals();
      const key = configKey(name);
      const checked = validateConfigValue(key, value);
      const file = await readConfig(dir());
      const profile = resolveProfileName(globals.profile, env(), file);
      await writeConfig(dir(), {
        ...file,
        current_profile: file.current_profile ?? profile,
        profiles: { ...file.profiles, [profile]: { ...file.profiles[profile], [key.field]: checked } },
      });
      if (globals.json) {
        context.stdout(JSON.stringify({ profile, key: key.name, value: checked, path: configPath(dir()) }));
      } else {
        context.stdout(`Set ${key.name} = ${checked} (profile ${profile})`);
      }
      if (key.name === "cid") context.stderr(`note: ${checked} was not checked against the RunOS API; \`runos clusters show\` shows whether it exists`);
      if (key.name === "api-url") {
        const warning = apiUrlWarning(checked);
        if (warning !== undefined) context.stderr(`warning: ${warning}`);
        context.stderr("note: a token belongs to the API it was created for: run `runos login` again if this is another one");
      }
      const shadow = key.name === "cid" ? "RUNOS_CLUSTER_ID" : key.name === "api-url" ? "RUNOS_API_URL" : undefined;
      if (shadow !== undefined && env()[shadow] !== undefined) context.stderr(`warning: ${shadow} is set and wins over this setting`);
    });

  config
    .command("unset")
    .description("remove a setting from the profile (api-url goes back to the default)")
    .argument("<key>", "cid or api-url")
    .action(async (name) => {
      const globals = context.globals();
      const key = configKey(name);
      if (key.readOnly === true) throw new UsageError(`${key.name} cannot be unset`, { hint: "run `runos logout` to sign out" });
      const file = await readConfig(dir());
      const profile = resolveProfileName(globals.profile, env(), file);
      const { [key.field]: _removed, ...rest } = file.profiles[profile] ?? {};
      await writeConfig(dir(), { ...file, profiles: { ...file.profiles, [profile]: rest } });
      if (globals.json) context.stdout(JSON.stringify({ profile, key: key.name, value: null }));
      else context.stdout(`Unset ${key.name} (profile ${profile})`);
    });
  for (const sub of (config as unknown as PlainCommand).commands) {
    const key = sub.registeredArguments[0];
    if (key !== undefined) completeWith(key, CONFIG_KEYS.filter((candidate) => sub.name() === "get" || candidate.readOnly !== true).map((candidate) => candidate.name));
  }
}
