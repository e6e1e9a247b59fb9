/**
 * Doctor's pre-approval check, the same question for every client whose file can pre-approve tools:
 * does anything in it let a server besides the read one run unasked? A key the user (or an old
 * runos) set there, kept by configure's merge, would: Gemini's or Qwen's `trust`, Roo's `alwaysAllow`,
 * Cline's `autoApprove`, Codex's approval modes, Crush's `allowed_tools`, Gemini's
 * `mcp.autoAllowInHeadless`, and Qwen's `permissions` (an ask rule missing, or an allow rule). (Claude's allow list and opencode's rules have checks of their own.)
 */
import { isObject, type JsonObject } from "../../configure/json_file.ts";
import { listNames } from "../../configure/servers.ts";
import { SERVER_NAMES, tierOfServer } from "../../policy/tier.ts";
import type { Check } from "./check.ts";

/** One parsed config file of a client. */
export interface ParsedConfig {
  readonly client: string;
  readonly clientName: string;
  readonly file: string;
  readonly value: JsonObject;
}

/** A non-read runos server's name (`runos-write`, …), else false. */
function guarded(name: string): boolean {
  return tierOfServer(name) !== undefined && name !== SERVER_NAMES.read;
}

/** What in one file pre-approves a guarded server's tools, in words ("runos-write: trust: true"). */
function preApprovals(config: ParsedConfig): string[] {
  const found: string[] = [];
  const { value } = config;
  for (const mapKey of ["mcpServers", "mcp_servers"]) {
    const map = value[mapKey];
    if (!isObject(map)) continue;
    for (const [name, entry] of Object.entries(map)) {
      if (!guarded(name) || !isObject(entry)) continue;
      if (entry.trust === true) found.push(`${name}: trust: true`);
      for (const key of ["alwaysAllow", "autoApprove"]) {
        const list = entry[key];
        if (Array.isArray(list) && list.length > 0) found.push(`${name}: ${key} ${JSON.stringify(list).slice(0, 80)}`);
      }
      if (entry.default_tools_approval_mode === "approve") found.push(`${name}: default_tools_approval_mode = "approve"`);
      const tools = entry.tools;
      if (isObject(tools)) {
        for (const [tool, settings] of Object.entries(tools)) {
          if (isObject(settings) && settings.approval_mode === "approve") found.push(`${name}.tools.${tool}: approval_mode = "approve"`);
        }
      }
    }
  }
  const permissions = value.permissions;
  const allowedTools = isObject(permissions) ? permissions.allowed_tools : undefined;
  if (Array.isArray(allowedTools)) {
    const risky = allowedTools.filter((tool): tool is string => typeof tool === "string" && /^mcp_runos-/.test(tool));
    if (risky.length > 0) found.push(`permissions.allowed_tools: ${listNames(risky.slice(0, 3))}${risky.length > 3 ? ", …" : ""}`);
  }
  const mcp = value.mcp;
  if (isObject(mcp) && mcp.autoAllowInHeadless === true) found.push("mcp.autoAllowInHeadless: true (every server runs unasked without a terminal)");
  if (config.client === "qwen") found.push(...qwenRules(value));
  return found;
}

/**
 * Qwen Code: its default approval mode lets a classifier run a call unless a `permissions.ask` (or
 * `deny`) rule covers the server, and a `permissions.allow` rule runs it unasked.
 */
function qwenRules(value: JsonObject): string[] {
  const permissions = isObject(value.permissions) ? value.permissions : {};
  const list = (key: string) => (Array.isArray(permissions[key]) ? (permissions[key] as unknown[]).filter((rule): rule is string => typeof rule === "string") : []);
  const servers = isObject(value.mcpServers) ? Object.keys(value.mcpServers).filter(guarded) : [];
  const found: string[] = [];
  for (const server of servers) {
    const mine = (rule: string) => rule === `mcp__${server}` || rule.startsWith(`mcp__${server}__`);
    const allowed = list("allow").filter(mine);
    if (allowed.length > 0) found.push(`permissions.allow: ${listNames(allowed)}`);
    else if (!list("ask").includes(`mcp__${server}`) && !list("deny").includes(`mcp__${server}`)) {
      found.push(`${server}: no "mcp__${server}" in permissions.ask (Qwen's default "auto" mode lets a classifier run its tools)`);
    }
  }
  return found;
}

/** A failed check per file that pre-approves a server besides the read one. */
export function approvalChecks(configs: readonly ParsedConfig[]): Check[] {
  return configs.flatMap((config) => {
    const found = preApprovals(config);
    if (found.length === 0) return [];
    return [{
      id: `client:${config.client}:approvals:${config.file}`,
      title: `${config.clientName}: approvals`,
      status: "fail" as const,
      summary: `${config.file} lets tools run without asking that must ask: ${found.join("; ")}`,
      fix: `take ${found.length === 1 ? "that setting" : "those settings"} out of ${config.file}: only the read server (runos) may run unasked`,
    }];
  });
}
