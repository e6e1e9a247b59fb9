/**
 * opencode's `permission` rules as opencode reads them, and the rules runos adds so that only the read
 * server runs unasked. opencode runs every MCP tool without asking unless a rule says otherwise; a
 * tool's permission name is `<server>_<tool>` (`runos-write_services_valkey_add`); rules are the
 * `permission` object's members in order (or one string for everything), `*` and `?` are wildcards,
 * and the last matching rule wins (opencode's docs, "Permissions"; `permission/evaluate.ts`). So
 * runos adds `"<server>_*": "ask"` for each of the three other servers, placed where no broader
 * "allow" of the user's comes after it, and never loosens a rule of theirs.
 */
import { ConfigFileError } from "../errors.ts";
import { isObject, type JsonDocument, type JsonObject } from "./json_file.ts";
import { listNames } from "./servers.ts";
import type { ConfigureInput } from "./writer.ts";

/** What an opencode rule decides. */
export type OpencodeAction = "allow" | "ask" | "deny";

/** One rule: a permission-name pattern and its action. */
export interface OpencodeRule {
  readonly key: string;
  readonly action: OpencodeAction;
}

const ACTIONS: readonly string[] = ["allow", "ask", "deny"];

/** The rule runos writes for a server: every tool of `server` asks. */
export function askRuleKey(server: string): string {
  return `${server}_*`;
}

/**
 * The rules of a `permission` value in evaluation order: a string is one rule for everything; in an
 * object, a string member is a rule for its key, and an object member (patterns → actions, used for
 * tool inputs) counts through its `*` pattern, which is what an MCP call is checked against.
 */
export function permissionRules(value: unknown): OpencodeRule[] {
  if (typeof value === "string") return ACTIONS.includes(value) ? [{ key: "*", action: value as OpencodeAction }] : [];
  if (!isObject(value)) return [];
  const rules: OpencodeRule[] = [];
  for (const [key, member] of Object.entries(value)) {
    if (typeof member === "string" && ACTIONS.includes(member)) rules.push({ key, action: member as OpencodeAction });
    else if (isObject(member)) {
      for (const [pattern, action] of Object.entries(member)) {
        if (typeof action === "string" && ACTIONS.includes(action) && wildcardMatch("*", pattern)) rules.push({ key, action: action as OpencodeAction });
      }
    }
  }
  return rules;
}

/** opencode's wildcard match for names without `/`: `*` any run of characters, `?` one, the rest literal. */
export function wildcardMatch(name: string, pattern: string): boolean {
  const source = pattern.split("").map((char) => char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\]/g, "\\$&")).join("");
  return new RegExp(`^${source}$`, "s").test(name);
}

/** What opencode does with a call of `name`: the last matching rule, else allow (its agents' default `*: allow`). */
export function decide(rules: readonly OpencodeRule[], name: string): OpencodeAction {
  return rules.findLast((rule) => wildcardMatch(name, rule.key))?.action ?? "allow";
}

/**
 * The pattern matches every tool of `server`, whatever its name: some way of reading the pattern
 * consumes `<server>_` and leaves only `*`s, which take any tool name.
 */
export function coversServer(pattern: string, server: string): boolean {
  return prefixStates(pattern, `${server}_`).some((at) => at < pattern.length && /^\*+$/.test(pattern.slice(at)));
}

/** The pattern matches some tool of `server` (it can read `<server>_` as a prefix). */
export function reachesServer(pattern: string, server: string): boolean {
  return prefixStates(pattern, `${server}_`).length > 0;
}

/**
 * The positions in `pattern` reachable after matching all of `prefix` (a `*` may go on past its end),
 * by the usual wildcard automaton: `*` takes zero or more characters, `?` one, others themselves.
 */
function prefixStates(pattern: string, prefix: string): number[] {
  let states = closure(new Set([0]), pattern);
  for (const char of prefix) {
    const next = new Set<number>();
    for (const at of states) {
      const token = pattern[at];
      if (token === "*") next.add(at);
      else if (token === "?" || token === char) next.add(at + 1);
    }
    states = closure(next, pattern);
    if (states.size === 0) return [];
  }
  return [...states];
}

/** States plus those reached by letting a `*` take nothing. */
function closure(states: Set<number>, pattern: string): Set<number> {
  const out = new Set(states);
  for (const at of out) if (pattern[at] === "*") out.add(at + 1);
  return out;
}

/**
 * The note saying which servers ask and by which rules, for opencode and its forks; `run` says what
 * the client's non-interactive mode does with such a call.
 */
export function askRulesNotes(input: Pick<ConfigureInput, "servers">, run: string): string[] {
  const asking = askingServers(input);
  if (asking.length === 0) return [];
  return [
    `Only the read server's tools run without asking: ${listNames(asking)} ${asking.length === 1 ? "asks" : "ask"} before each call ` +
    `("permission": ${listNames(asking.map((name) => `"${askRuleKey(name)}"`))} set to "ask"). ${run}`,
  ];
}

/** The servers whose tools must ask: every selected one but the read server. */
export function askingServers(input: Pick<ConfigureInput, "servers">): string[] {
  return input.servers.filter((server) => server.tier !== "read").map((server) => server.name);
}

/**
 * Put runos's rules into the document's `permission` (or, with `remove`, take out the ones runos
 * wrote, `"<server>_*": "ask"`), keeping every rule of the user's and loosening none.
 */
export function updateOpencodePermission(doc: JsonDocument, input: ConfigureInput): void {
  const servers = askingServers(input);
  if (servers.length === 0) return;
  const current = doc.get(["permission"]);
  if (input.remove) {
    if (!isObject(current)) return;
    for (const server of servers) if (current[askRuleKey(server)] === "ask") doc.delete(["permission", askRuleKey(server)]);
    const left = doc.get(["permission"]);
    if (isObject(left) && Object.keys(left).length === 0) doc.delete(["permission"]);
    return;
  }
  if (current === undefined) {
    doc.set(["permission"], Object.fromEntries(servers.map((server) => [askRuleKey(server), "ask"])));
    return;
  }
  if (typeof current === "string") {
    if (current === "allow") doc.set(["permission"], { "*": "allow", ...Object.fromEntries(servers.map((server) => [askRuleKey(server), "ask"])) });
    else if (!ACTIONS.includes(current)) throw badPermission(doc.path);
    // "ask" or "deny" for everything: nothing of runos's runs unasked already.
    return;
  }
  if (!isObject(current)) throw badPermission(doc.path);
  let entries = Object.entries(current);
  let appendOnly = true;
  for (const server of servers) {
    const placed = placeAskRule(entries, server);
    entries = placed.entries;
    appendOnly &&= placed.appended;
  }
  if (appendOnly) {
    // Members added at the end: the user's own members (and their comments) stay as they are.
    for (const [key, value] of entries) if (current[key] !== value) doc.set(["permission", key], value);
  } else {
    doc.set(["permission"], Object.fromEntries(entries) as JsonObject);
  }
}

/**
 * The members with `<server>_*` where it takes effect: after the last rule of the user's that allows
 * every tool of the server (so that rule no longer wins), and before every later rule of theirs that
 * reaches the server (so those still decide their tools). An existing rule already past every broad
 * allow stays where it is; an existing `deny` stays `deny`. `appended`: the result only changes a value
 * in place or adds the rule at the end, so the member edits keep the user's comments.
 */
function placeAskRule(entries: readonly [string, unknown][], server: string): { entries: [string, unknown][]; appended: boolean } {
  const key = askRuleKey(server);
  const at = entries.findIndex(([name]) => name === key);
  // A rule of the user's that denies (as a string, or an object whose `*` pattern denies) stays as it is.
  const existing = at >= 0 ? entries[at]![1] : undefined;
  const value = existing !== undefined && actionsOf(key, existing).includes("deny") ? existing : "ask";
  const others = entries.filter(([name]) => name !== key);
  const lastBroadAllow = others.findLastIndex(([name, action]) => actionsOf(name, action).includes("allow") && coversServer(name, server));
  if (at > lastBroadAllow) {
    return { entries: entries.map(([name, action]): [string, unknown] => [name, name === key ? value : action]), appended: true };
  }
  const laterReaching = others.some(([name], index) => index > lastBroadAllow && reachesServer(name, server));
  const position = laterReaching ? lastBroadAllow + 1 : others.length;
  return {
    entries: [...others.slice(0, position), [key, value], ...others.slice(position)],
    appended: at < 0 && position === others.length,
  };
}

/** The actions one member of `permission` decides for an MCP call (see {@link permissionRules}). */
function actionsOf(key: string, value: unknown): OpencodeAction[] {
  return permissionRules({ [key]: value }).map((rule) => rule.action);
}

function badPermission(path: string): ConfigFileError {
  return new ConfigFileError(path, `${path}: "permission" should be "allow", "ask", "deny" or an object of rules`, {
    hint: `fix "permission" in ${path} (it was left unchanged), then run the command again`,
  });
}
