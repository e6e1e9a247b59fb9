/**
 * `runos doctor`: is this setup healthy? Authentication (where the token comes from, whether the API
 * accepts it), the API (reachable, how fast), the catalog (which one, its version and age, whether a
 * newer one is served), the last change of the servers' tools (from the audit log), and the project's assistant configs (each runos server starts as written and
 * answers `initialize` and `tools/list`, its tier is the one its name says, Claude's allow list,
 * Codex's trust). Problems are named as the seed's Troubleshooting section names them. Exit 0 only
 * when nothing failed; `--json` prints the same findings as one object.
 */
import process from "node:process";
import { resolve } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { type Env, processEnv, stateDir } from "../../auth/config.ts";
import { openSessionFor, type Session, type SessionSeams } from "../../auth/session.ts";
import { RunosError, UsageError } from "../../errors.ts";
import { auditPath } from "../../mcp/call/audit.ts";
import { VERSION } from "../../version.ts";
import type { CliContext } from "../context.ts";
import { ExitWithCode } from "../exit_code.ts";
import { styleFor } from "../style.ts";
import { configureEnv } from "./configure.ts";
import { checkAccount } from "../doctor/account.ts";
import { checkCatalog } from "../doctor/catalog.ts";
import { type Check, healthy, renderChecks } from "../doctor/check.ts";
import { checkClients } from "../doctor/clients.ts";
import type { ProbeResult, ProbeTarget } from "../doctor/probe.ts";
import { checkToolsChange } from "../doctor/tools_change.ts";

/** Seams for tests. */
export interface DoctorDeps extends SessionSeams {
  readonly cwd?: string;
  readonly platform?: string;
  readonly probe?: (target: ProbeTarget, timeoutMs: number) => Promise<ProbeResult>;
}

/** Register `runos doctor`. */
export function registerDoctorCommand(program: Command, context: CliContext, deps: DoctorDeps = {}): void {
  program
    .command("doctor")
    .description("check sign-in, the API, the catalog and the project's assistant configs; exit 0 only when healthy")
    .option("--dir <path>", "project root whose assistant configs are checked (default: the current directory)")
    .option("--timeout <seconds>", "how long each configured server may take to answer", "8")
    .action(async (options) => {
      const globals = context.globals();
      const env: Env = deps.env ?? processEnv();
      const timeout = Number(options.timeout);
      if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout must be a positive number of seconds; got "${options.timeout}"`);
      const projectDir = resolve(deps.cwd ?? process.cwd(), options.dir ?? ".");
      const checks: Check[] = [];
      let session: Session | undefined;
      try {
        session = await openSessionFor(globals, { ...deps, env });
      } catch (error) {
        checks.push({
          id: "config",
          title: "runos config",
          status: "fail",
          summary: error instanceof Error ? error.message : String(error),
          symptom: "Server Not Starting",
          ...(error instanceof RunosError && error.hint !== undefined ? { fix: error.hint } : {}),
        });
      }
      try {
        if (session !== undefined) {
          for (const warning of session.warnings ?? []) checks.push({ id: "settings", title: "Settings", status: "warn", summary: warning });
          const account = await checkAccount(session, deps.fetch ?? fetch);
          checks.push(...account.checks);
          checks.push(await checkCatalog(session, account.signedIn && account.reachable));
        }
        checks.push(await checkToolsChange(auditPath(stateDir(env))));
        checks.push(...await checkClients({
          projectDir,
          env: configureEnv(env, deps.platform ?? process.platform),
          path: env.PATH,
          vars: env,
          tokenFromEnv: session?.tokenSource === "env",
          timeoutMs: timeout * 1000,
          ...(deps.probe === undefined ? {} : { probe: deps.probe }),
        }));
      } finally {
        await session?.close().catch(() => {});
      }
      const ok = healthy(checks);
      if (globals.json) {
        context.stdout(JSON.stringify({ healthy: ok, version: VERSION, profile: session?.profile ?? null, apiUrl: session?.apiUrl ?? null, projectDir, checks }, null, 2));
      } else {
        const style = styleFor(globals.color);
        const failed = checks.filter((check) => check.status === "fail").length;
        const warned = checks.filter((check) => check.status === "warn").length;
        context.stdout([
          `runos ${VERSION} · profile ${session?.profile ?? "?"} · ${session?.apiUrl ?? "no API"} · ${projectDir}`,
          "",
          renderChecks(checks, style),
          "",
          ok
            ? style.green(warned === 0 ? "Healthy." : `Healthy, with ${warned} ${warned === 1 ? "warning" : "warnings"}.`)
            : style.red(`${failed} ${failed === 1 ? "problem" : "problems"} found${warned > 0 ? ` (and ${warned} ${warned === 1 ? "warning" : "warnings"})` : ""}.`),
        ].join("\n"));
      }
      if (!ok) throw new ExitWithCode(1);
    });
}
