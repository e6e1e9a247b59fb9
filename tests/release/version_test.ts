import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import process from "node:process";
import { test } from "node:test";
import { promisify } from "node:util";
import { BUILD_COMMIT, BUILD_DATE, VERSION, VERSION_LINE, versionLine } from "../../src/version.ts";
import { REPO_ROOT } from "../_harness/mcp_client.ts";
import { withTempDir } from "../_harness/temp_project.ts";

const run = promisify(execFile);

test("a build's version line names its version, commit and build date", () => {
  assert.equal(versionLine("0.1.0", "abc1234", "2026-12-01"), "runos 0.1.0 (commit abc1234, built 2026-12-01)");
});

test("run from source, the version line says the commit is unknown", () => {
  assert.equal(versionLine("0.1.0", undefined, undefined), "runos 0.1.0 (commit unknown, run from source)");
  assert.equal(BUILD_COMMIT, undefined);
  assert.equal(BUILD_DATE, undefined);
  assert.equal(VERSION_LINE, `runos ${VERSION} (commit unknown, run from source)`);
});

test("compiling with --bytecode injects the commit and date given to scripts/compile.sh", async () => {
  await withTempDir("version-probe", async (dir) => {
    const binary = `${dir}/probe${process.platform === "win32" ? ".exe" : ""}`;
    const env = { ...process.env, RUNOS_BUILD_COMMIT: "abc1234", RUNOS_BUILD_DATE: "2026-12-01" };
    await run("sh", ["scripts/compile.sh", "tests/release/version_probe.ts", binary], { cwd: REPO_ROOT, env });
    const { stdout } = await run(binary, [], { env });
    assert.equal(stdout.trim(), `runos ${VERSION} (commit abc1234, built 2026-12-01)`);
  });
});
