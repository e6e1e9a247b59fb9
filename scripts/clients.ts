/**
 * `make clients`: the real-client suite. For each case in tests/clients/cases/ it installs the client
 * from npm at its pinned version into a cache folder (never the project's dependencies), makes a fresh
 * home and project, runs `dist/runos mcp configure <client> --sandbox` there, and lets the case drive
 * the real client against a scripted stand-in for its model API (tests/clients/model/). Prints every
 * check, writes tests/clients/results.md and the README's table (a full run only), and ends with
 * "N passed, N failed"; exits 1 when a check failed.
 * A case with a failed check runs once more from scratch (the first run's failures stay in the log):
 * a real finding fails twice.
 *
 *   bun scripts/clients.ts                  # every case
 *   CLIENTS=opencode,claude bun scripts/clients.ts
 *
 * RUNOS_CLIENTS_CACHE moves the cache (default ~/.cache/runos-clients); RUNOS_CLIENTS_KEEP=1 keeps each
 * case's home and project for a look afterwards.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { CaseContext, CaseReport, ClientCase, ClientPackage } from "../tests/clients/client_case.ts";
import { CASES } from "../tests/clients/cases/mod.ts";
import { renderReadmeTable, renderResults, withReadmeTable } from "../tests/clients/results.ts";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const RUNOS = join(ROOT, "dist/runos");
/** How long one case may take, installs excluded. */
const CASE_TIMEOUT_MS = 5 * 60_000;

/** Where pinned clients are installed: one folder per package and version. */
export function clientsCache(env: NodeJS.ProcessEnv = process.env): string {
  return env.RUNOS_CLIENTS_CACHE !== undefined && env.RUNOS_CLIENTS_CACHE !== "" ? env.RUNOS_CLIENTS_CACHE : join(homedir(), ".cache", "runos-clients");
}

/** The client's executable, installed from npm into the cache when it is not there yet. */
async function installClient(pkg: ClientPackage, log: (line: string) => void): Promise<string> {
  const prefix = join(clientsCache(), `${pkg.name.replace("/", "+")}@${pkg.version}`);
  const bin = join(prefix, "node_modules", ".bin", pkg.bin);
  if (existsSync(bin)) return bin;
  log(`installing ${pkg.name}@${pkg.version} into ${prefix}`);
  await mkdir(prefix, { recursive: true });
  await run("npm", ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", prefix, `${pkg.name}@${pkg.version}`], {
    maxBuffer: 16 * 1024 * 1024,
  });
  if (!existsSync(bin)) throw new Error(`${pkg.name}@${pkg.version} installed no ${pkg.bin} executable (looked in ${dirname(bin)})`);
  return bin;
}

/** The environment a client starts in: a fresh home, the machine's PATH, nothing of the real user's. */
function clientEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: home,
    USER: process.env.USER ?? "runos",
    LANG: "C.UTF-8",
    TERM: "dumb",
    NO_COLOR: "1",
    TMPDIR: join(home, "tmp"),
    ...(process.env.NODE_EXTRA_CA_CERTS === undefined ? {} : { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS }),
  };
}

/** One case from install to report; an exception or a time-out becomes a failed check. */
async function runCase(clientCase: ClientCase): Promise<CaseReport> {
  const log = (line: string) => process.stderr.write(`[${clientCase.id}] ${line}\n`);
  const base = await mkdtemp(join(tmpdir(), `runos-clients-${clientCase.id}-`));
  const home = join(base, "home");
  const projectDir = join(base, "project");
  try {
    const clientBin = await installClient(clientCase.npm, log);
    await mkdir(join(home, "tmp"), { recursive: true });
    await mkdir(projectDir, { recursive: true });
    const env = clientEnv(home);
    await run(RUNOS, ["mcp", "configure", clientCase.id, "--sandbox", "--yes", "--dir", projectDir], { env, cwd: projectDir });
    const context: CaseContext = {
      clientBin,
      projectDir,
      home,
      env,
      runos: [RUNOS],
      auditPath: join(home, ".local", "state", "runos", "audit.jsonl"),
      log,
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the case took longer than ${CASE_TIMEOUT_MS / 1000} s`)), CASE_TIMEOUT_MS);
    });
    try {
      return await Promise.race([clientCase.run(context), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { checks: [{ name: "the case ran to the end", ok: false, detail }], runsUnasked: "unknown: the case did not finish" };
  } finally {
    if (process.env.RUNOS_CLIENTS_KEEP === "1") log(`kept ${base}`);
    else await rm(base, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!existsSync(RUNOS)) throw new Error(`${RUNOS} is missing: run \`make build-host\` (or \`make clients\`, which builds it)`);
  const wanted = (process.env.CLIENTS ?? "").split(",").map((id) => id.trim()).filter((id) => id !== "");
  const unknown = wanted.filter((id) => !CASES.some((clientCase) => clientCase.id === id));
  if (unknown.length > 0) throw new Error(`no client case ${unknown.join(", ")}: choose from ${CASES.map((clientCase) => clientCase.id).join(", ")}`);
  const selected = wanted.length === 0 ? CASES : CASES.filter((clientCase) => wanted.includes(clientCase.id));
  const reports: { clientCase: ClientCase; report: CaseReport }[] = [];
  for (const clientCase of selected) {
    process.stdout.write(`== ${clientCase.displayName} (${clientCase.npm.name}@${clientCase.npm.version})\n`);
    let report = await runCase(clientCase);
    if (report.checks.some((check) => !check.ok)) {
      // A real client on a loaded machine can lose a race (a server not up by its first turn): one more
      // fresh run tells that from a real finding, which fails again, and the log says it was retried.
      for (const check of report.checks.filter((check) => !check.ok)) process.stdout.write(`(first run) FAIL ${check.name}: ${check.detail}\n`);
      process.stdout.write(`-- running ${clientCase.id} once more from a fresh home and project\n`);
      report = await runCase(clientCase);
    }
    for (const check of report.checks) process.stdout.write(`${check.ok ? "ok  " : "FAIL"} ${check.name}: ${check.detail}\n`);
    reports.push({ clientCase, report });
  }
  const results = join(ROOT, "tests/clients/results.md");
  // A partial run (CLIENTS=…) must not overwrite the record of the whole suite.
  if (wanted.length === 0) {
    const when = new Date();
    await writeFile(results, renderResults(reports, when));
    const readme = join(ROOT, "README.md");
    await writeFile(readme, withReadmeTable(await readFile(readme, "utf8"), renderReadmeTable(reports, when)));
  }
  const checks = reports.flatMap(({ report }) => report.checks);
  const failed = checks.filter((check) => !check.ok).length;
  process.stdout.write(`${checks.length - failed} passed, ${failed} failed\n`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
