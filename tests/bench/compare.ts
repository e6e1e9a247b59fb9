/**
 * Earlier commits, built to be measured beside this tree: `BENCH_COMPARE="rev rev …"` (oldest first)
 * makes `make bench` check each revision out with `git archive` into a temporary directory, compile
 * it with that revision's own scripts/compile.sh, and run its `mcp serve read` (compiled, compiled
 * with `--sandbox`, and `deno run -A`) in the same interleaved rounds as everything else, so the
 * "What each change bought" table compares like with like. Builds are made fresh on every run and
 * removed after it: nothing measured was cached by an earlier bench.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { promisify } from "node:util";

/** One earlier commit, built. */
export interface RevisionBuild {
  /** As given in BENCH_COMPARE. */
  readonly rev: string;
  /** Its short commit id. */
  readonly commit: string;
  /** Its commit subject: what the change was. */
  readonly subject: string;
  /** The checked-out tree (with node_modules linked to this one's). */
  readonly dir: string;
  /** Its compiled `dist/runos`. */
  readonly binary: string;
}

const run = promisify(execFile);

/** The revisions named by `BENCH_COMPARE`, in order; none when it is unset. */
export function comparedRevisions(value: string | undefined): string[] {
  return (value ?? "").split(/[\s,]+/).filter((rev) => rev !== "");
}

/** Check out and compile each of `revs` under `into`; throws naming the revision that failed. */
export async function buildRevisions(repoRoot: string, revs: readonly string[], into: string): Promise<RevisionBuild[]> {
  const builds: RevisionBuild[] = [];
  for (const rev of revs) {
    const git = (args: string[]) => run("git", args, { cwd: repoRoot }).then(({ stdout }) => stdout.trim());
    try {
      const commit = await git(["rev-parse", "--short=7", `${rev}^{commit}`]);
      const subject = await git(["log", "-1", "--format=%s", commit]);
      const dir = join(into, commit);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      await run("sh", ["-c", `git archive ${commit} | tar -x -C "${dir}"`], { cwd: repoRoot });
      await symlink(join(repoRoot, "node_modules"), join(dir, "node_modules"));
      const binary = join(dir, "dist", "runos");
      await run("sh", ["scripts/compile.sh", "mod.ts", binary], { cwd: dir, env: { ...process.env, RUNOS_BUILD_COMMIT: commit }, timeout: 300_000 });
      if (!existsSync(binary)) throw new Error("no dist/runos after compiling");
      builds.push({ rev, commit, subject, dir, binary });
    } catch (error) {
      throw new Error(`BENCH_COMPARE: could not build ${rev}: ${String(error instanceof Error ? error.message : error).split("\n")[0]}`);
    }
  }
  return builds;
}
