/**
 * Doctor's opencode check (and Kilo Code's, an opencode fork): what it would run without asking. opencode runs every MCP tool
 * unasked unless a `permission` rule says otherwise, so each of the three servers besides the read one
 * needs a rule that makes it ask, and no later rule (in the user's global config, the project's, or an
 * agent's own `permission`) may allow it again. Decided as opencode decides (opencode_permission.ts),
 * over the global file merged under the project's, as opencode merges them.
 */
import { readFileSync } from "node:fs";
import { isObject, type JsonObject } from "../../configure/json_file.ts";
import { joinPath, xdgConfigHome } from "../../configure/locations.ts";
import { askRuleKey, coversServer, decide, type OpencodeRule, permissionRules, reachesServer, wildcardMatch } from "../../configure/opencode_permission.ts";
import { listNames } from "../../configure/servers.ts";
import type { ConfigureEnv } from "../../configure/writer.ts";
import { readJson } from "../../json_syntax.ts";
import { SERVER_NAMES } from "../../policy/tier.ts";
import type { Check } from "./check.ts";

/** A name no rule of the user's can mean but one that takes every tool of the server. */
const ANY_TOOL = "\u0000";

/** A client that reads opencode's config format: its id, name, and the file name of its project and global configs. */
export interface OpencodeClient {
  readonly id: string;
  readonly displayName: string;
  /** `opencode.json`: in the project, and in `$XDG_CONFIG_HOME/<id>/`. */
  readonly file: string;
}

/** opencode and Kilo Code, an opencode fork that reads the same `mcp` and `permission`. */
export const OPENCODE_FAMILY: readonly OpencodeClient[] = [
  { id: "opencode", displayName: "opencode", file: "opencode.json" },
  { id: "kilo", displayName: "Kilo Code CLI", file: "kilo.json" },
];

/** The configs doctor reads: the user's global file and the project's, as text (undefined: absent). */
export interface OpencodeFiles {
  readonly client: OpencodeClient;
  readonly globalPath: string;
  readonly global?: string;
  readonly projectPath: string;
  readonly project?: string;
}

/** The global file's path and text, beside the project's already read. */
export function opencodeFiles(client: OpencodeClient, env: ConfigureEnv, projectPath: string, project: string | undefined): OpencodeFiles {
  const globalPath = joinPath(env, xdgConfigHome(env), client.id, client.file);
  let global: string | undefined;
  try {
    global = readFileSync(globalPath, "utf8");
  } catch {
    global = undefined;
  }
  return { client, globalPath, ...(global === undefined ? {} : { global }), projectPath, ...(project === undefined ? {} : { project }) };
}

/** The findings for the runos servers (`configured`, by name) in opencode's files. */
export function opencodePermissionChecks(configured: readonly string[], files: OpencodeFiles): Check[] {
  const { client } = files;
  const title = `${client.displayName}: permission`;
  const config = mergeConfigs(parse(files.global), parse(files.project));
  const rules = permissionRules(config.permission);
  const agents = isObject(config.agent) ? Object.entries(config.agent).filter(([, agent]) => isObject(agent) && agent.permission !== undefined) : [];
  const checks: Check[] = [];
  const asking = configured.filter((name) => name !== SERVER_NAMES.read);
  const unasked: string[] = [];
  for (const server of asking) {
    if (decide(rules, `${server}_${ANY_TOOL}`) === "allow") unasked.push(`${server}${becauseOf(rules, server)}`);
    else {
      // An agent's own rules come after the file's: one of them may allow the server again.
      for (const [name, agent] of agents) {
        const scope = [...rules, ...permissionRules((agent as JsonObject).permission)];
        if (decide(scope, `${server}_${ANY_TOOL}`) === "allow") unasked.push(`${server} in agent "${name}"${becauseOf(scope, server)}`);
      }
    }
    const named = rules.filter((rule) => rule.action === "allow" && reachesServer(rule.key, server) && !coversServer(rule.key, server))
      .filter((rule) => decide(rules, rule.key.replace(/[*?]/g, "x")) === "allow")
      .map((rule) => rule.key);
    if (named.length > 0) {
      checks.push({
        id: `client:${client.id}:permission:${server}`,
        title,
        status: "warn",
        summary: `${listNames(named.map((key) => `"${key}"`))} ${named.length === 1 ? "runs" : "run"} without asking (a rule of yours allows ${named.length === 1 ? "it" : "them"})`,
        fix: `take ${named.length === 1 ? "that rule" : "those rules"} out of "permission" unless you mean it`,
      });
    }
  }
  if (unasked.length > 0) {
    return [{
      id: `client:${client.id}:permission`,
      title,
      status: "fail",
      summary: `every tool of ${listNames(unasked)} runs without asking`,
      fix: `runos mcp configure ${client.id} (it adds ${listNames(asking.map((name) => `"${askRuleKey(name)}": "ask"`))} to ${files.projectPath}); a rule that allows them again, later in "permission" or in an agent's, has to go`,
    }, ...checks];
  }
  if (configured.includes(SERVER_NAMES.read) && decide(rules, `${SERVER_NAMES.read}_${ANY_TOOL}`) !== "allow") {
    checks.push({ id: `client:${client.id}:read`, title, status: "info", summary: `${client.displayName} asks before the read server's tools too (a rule of yours)` });
  }
  if (asking.length > 0) {
    checks.unshift({ id: `client:${client.id}:permission`, title, status: "ok", summary: `${listNames(asking)} ${asking.length === 1 ? "asks" : "ask"} before each call` });
  }
  return checks;
}

/** Which rule lets every tool of the server run: ` ("*": "allow" decides)`, or ` (no rule makes it ask)`. */
function becauseOf(rules: readonly OpencodeRule[], server: string): string {
  const rule = rules.findLast((candidate) => wildcardMatch(`${server}_${ANY_TOOL}`, candidate.key));
  return rule === undefined ? " (no rule makes it ask)" : ` ("${rule.key}": "${rule.action}" decides)`;
}

/** A config file's value, or {} when absent or unparsable (the config check reports that). */
function parse(text: string | undefined): JsonObject {
  if (text === undefined) return {};
  const { value } = readJson(text, { comments: true });
  return isObject(value) ? value : {};
}

/** The project's config over the global one, objects merged member by member: the global's members first, in their order. */
function mergeConfigs(base: JsonObject, over: JsonObject): JsonObject {
  const merged: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = merged[key];
    merged[key] = isObject(under) && isObject(value) ? mergeConfigs(under, value) : value;
  }
  return merged;
}
