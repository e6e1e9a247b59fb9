/**
 * One finding of `runos doctor`: what was checked, how it went, and, when something is wrong, the
 * symptom it causes in the seed's Troubleshooting words ("Server Not Starting", "Tools Not
 * Appearing", "Permission Denied", "Configuration Not Loading") and the command that fixes it.
 */
import { type Style, visibleLength } from "../style.ts";

/** ok and info are healthy; warn is worth a look; fail makes `runos doctor` exit 1. */
export type CheckStatus = "ok" | "info" | "warn" | "fail";

/** The seed's Troubleshooting headings. */
export type Symptom = "Server Not Starting" | "Tools Not Appearing" | "Permission Denied" | "Configuration Not Loading";

/** The seed's advice under each heading. */
export const SYMPTOM_ADVICE: Readonly<Record<Symptom, string>> = {
  "Server Not Starting": "Ensure you're authenticated: runos login",
  "Tools Not Appearing": "Update your manifest: runos manifest update",
  "Permission Denied": "Check that the correct MCP server is enabled for the operation you're attempting. Write operations require the write or sensitive-write servers.",
  "Configuration Not Loading":
    "Verify your configuration file paths: .mcp.json and .claude/settings.json in project root (Claude Code), .roo/mcp.json (Roo Code), .codex/config.toml (Codex)",
};

/** One finding. */
export interface Check {
  /** Stable id for --json, e.g. `auth`, `api`, `catalog`, `client:claude:runos`. */
  readonly id: string;
  /** Short label, e.g. "Authentication". */
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found, one line. */
  readonly summary: string;
  readonly symptom?: Symptom;
  /** The command or step that fixes it. */
  readonly fix?: string;
}

/** Whether the checks add up to a healthy setup (nothing failed). */
export function healthy(checks: readonly Check[]): boolean {
  return checks.every((check) => check.status !== "fail");
}

const MARK: Readonly<Record<CheckStatus, string>> = { ok: "✓", info: "·", warn: "!", fail: "✗" };

/** The checks as aligned lines, with the symptom and the fix under each problem. */
export function renderChecks(checks: readonly Check[], style: Style): string {
  const width = Math.max(...checks.map((check) => visibleLength(check.title)));
  const colour = (status: CheckStatus, text: string) =>
    status === "ok" ? style.green(text) : status === "warn" ? style.yellow(text) : status === "fail" ? style.red(text) : style.dim(text);
  const lines: string[] = [];
  for (const check of checks) {
    lines.push(`${colour(check.status, MARK[check.status])} ${check.title.padEnd(width)}  ${check.summary}`);
    const pad = " ".repeat(width + 4);
    if (check.symptom !== undefined && (check.status === "warn" || check.status === "fail")) {
      lines.push(`${pad}${style.bold(`${check.symptom}:`)} ${check.fix ?? SYMPTOM_ADVICE[check.symptom]}`);
    } else if (check.fix !== undefined && check.status !== "ok") {
      lines.push(`${pad}${check.fix}`);
    }
  }
  return lines.join("\n");
}
