/**
 * install.sh as a user runs it, against a local HTTP server on 127.0.0.1 serving a directory laid out
 * like dist/release/ (small fake archives built here with the release's own archive writer, so no real
 * build is needed). The platform comes from a fake `uname` on PATH, so the outcome is the same on any
 * machine. Never the internet.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { chmod, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { after, before, describe, test } from "node:test";
import { type ArchiveEntry, tarGz, zip } from "../../scripts/archive.ts";
import { archiveName, binaryName, RELEASE_TARGETS, sha256sums } from "../../scripts/release_layout.ts";
import { type HttpServerHandle, serveHttp } from "../../src/runtime.ts";
import { REPO_ROOT } from "../_harness/mcp_client.ts";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";

const VERSION = "0.1.0";
const INSTALL_SH = join(REPO_ROOT, "install.sh");

/** A release directory: one fake archive per platform whose `runos` prints its platform, and SHA256SUMS. */
async function writeFakeRelease(dir: string, options: { tamper?: boolean } = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files = new Map<string, Uint8Array>();
  for (const target of RELEASE_TARGETS) {
    const entries: ArchiveEntry[] = [
      { name: binaryName(target), data: new TextEncoder().encode(`#!/bin/sh\necho "runos ${VERSION} ${target}"\n`), mode: 0o755 },
      { name: "README.md", data: new TextEncoder().encode("# runos\n"), mode: 0o644 },
    ];
    const bytes = target.startsWith("windows-") ? zip(entries, 1_764_547_200) : tarGz(entries, 1_764_547_200);
    files.set(archiveName(VERSION, target), bytes);
    await writeFile(join(dir, archiveName(VERSION, target)), bytes);
  }
  let sums = sha256sums(files);
  if (options.tamper === true) sums = sums.replace(/^[0-9a-f]{8}/gm, "00000000");
  await writeFile(join(dir, "SHA256SUMS"), sums);
}

/** A directory holding a `uname` that reports `kernel` for -s and `machine` for -m. */
async function fakeUname(dir: string, kernel: string, machine: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "uname"), `#!/bin/sh\ncase "$1" in -m) echo ${machine} ;; *) echo ${kernel} ;; esac\n`);
  await chmod(join(dir, "uname"), 0o755);
  return dir;
}

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `sh install.sh args` with `env` (asynchronously: the HTTP server lives in this process). */
function install(args: readonly string[], env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile("/bin/sh", [INSTALL_SH, ...args], { env, cwd: REPO_ROOT, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function runInstalled(path: string): Promise<string> {
  return await new Promise((resolve, reject) => {
    execFile(path, [], (error, stdout) => (error === null ? resolve(String(stdout).trim()) : reject(error)));
  });
}

/** install.sh's own needs (a downloader, a checksum tool, tar): without them only its refusals can be tested. */
const CAN_INSTALL = (onPath("curl") || onPath("wget")) && (onPath("sha256sum") || onPath("shasum")) && onPath("tar");

describe("install.sh", () => {
  let root: TempDir;
  let server: HttpServerHandle;
  let baseUrl: string;

  before(async () => {
    root = await makeTempDir("install");
    await writeFakeRelease(join(root.path, "site", "release"));
    await writeFakeRelease(join(root.path, "site", "tampered"), { tamper: true });
    const site = join(root.path, "site");
    server = await serveHttp(async (request) => {
      const path = join(site, decodeURIComponent(new URL(request.url).pathname));
      if (!path.startsWith(`${site}/`) || !existsSync(path) || !statSync(path).isFile()) return new Response("not found", { status: 404 });
      return new Response(new Uint8Array(await readFile(path)));
    }, { port: 0, hostname: "127.0.0.1" });
    baseUrl = `http://127.0.0.1:${server.port}`;
  });

  after(async () => {
    await server.close();
    await root.remove();
  });

  /** A fresh HOME and an environment whose `uname` says `kernel machine`. */
  async function user(name: string, kernel = "Linux", machine = "x86_64", release = "release") {
    const home = join(root.path, name);
    const bin = await fakeUname(join(home, "fake-bin"), kernel, machine);
    const env = { HOME: home, PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`, RUNOS_INSTALL_BASE_URL: `${baseUrl}/${release}` };
    return { home, env };
  }

  test("installs the verified binary for this platform into ~/.local/bin and says what to do next", { skip: !CAN_INSTALL }, async () => {
    const { home, env } = await user("default-dir");
    const outcome = await install([], env);
    assert.equal(outcome.code, 0, outcome.stderr);
    const installed = join(home, ".local", "bin", "runos");
    assert.equal(statSync(installed).mode & 0o777, 0o755);
    assert.equal(await runInstalled(installed), `runos ${VERSION} linux-x64`);
    assert.match(outcome.stdout, new RegExp(`Installed runos ${VERSION.replaceAll(".", "\\.")} to .*/default-dir/\\.local/bin/runos \\(checksum verified\\)`));
    assert.match(outcome.stdout, /is not on your PATH/);
    assert.match(outcome.stdout, /runos login/);
    assert.match(outcome.stdout, /runos mcp configure claude/);
  });

  test("picks the archive of the platform uname reports", { skip: !CAN_INSTALL }, async () => {
    const { home, env } = await user("mac", "Darwin", "arm64");
    const outcome = await install([], env);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.equal(await runInstalled(join(home, ".local", "bin", "runos")), `runos ${VERSION} darwin-arm64`);

    const arm = await user("linux-arm", "Linux", "aarch64");
    assert.equal((await install([], arm.env)).code, 0);
    assert.equal(await runInstalled(join(arm.home, ".local", "bin", "runos")), `runos ${VERSION} linux-arm64`);
  });

  test("--dir installs there, and --version pins the release", { skip: !CAN_INSTALL }, async () => {
    const { home, env } = await user("pinned");
    const dir = join(home, "tools", "bin");
    const outcome = await install(["--dir", dir, "--version", VERSION], { ...env, PATH: `${dir}:${env.PATH}` });
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.equal(await runInstalled(join(dir, "runos")), `runos ${VERSION} linux-x64`);
    assert.equal(existsSync(join(home, ".local")), false);
    assert.doesNotMatch(outcome.stdout, /not on your PATH/);
  });

  test("a version that was never released is refused, and nothing is installed", { skip: !CAN_INSTALL }, async () => {
    const { home, env } = await user("unreleased");
    const outcome = await install(["--version", "9.9.9"], env);
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /runos 9\.9\.9 for linux-x64 is not in .*SHA256SUMS/);
    assert.equal(existsSync(join(home, ".local")), false);
  });

  test("a checksum mismatch installs nothing and keeps the runos already there", { skip: !CAN_INSTALL }, async () => {
    const { home, env } = await user("tampered", "Linux", "x86_64", "tampered");
    const dir = join(home, "bin");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "runos"), "#!/bin/sh\necho old\n", { mode: 0o755 });
    const outcome = await install(["--dir", dir], env);
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /checksum mismatch for runos-0\.1\.0-linux-x64\.tar\.gz: SHA256SUMS says 00000000[0-9a-f]+, the download is [0-9a-f]{64}; nothing was installed/);
    assert.equal(await runInstalled(join(dir, "runos")), "old");
    assert.equal(existsSync(join(home, ".local")), false);
  });

  test("an unsupported operating system or CPU is refused with a clear error", async () => {
    const cases: Array<[string, string, RegExp]> = [
      ["FreeBSD", "amd64", /unsupported operating system: FreeBSD \(runos ships for Linux and macOS on x64 and arm64\)/],
      ["Linux", "riscv64", /unsupported CPU architecture: riscv64 on Linux/],
      ["MINGW64_NT-10.0", "x86_64", /Windows is not supported by this script: download runos-<version>-windows-x64\.zip/],
    ];
    for (const [kernel, machine, message] of cases) {
      const { home, env } = await user(`unsupported-${kernel}-${machine}`, kernel, machine);
      const outcome = await install([], env);
      assert.equal(outcome.code, 1, `${kernel} ${machine}`);
      assert.match(outcome.stderr, message);
      assert.equal(existsSync(join(home, ".local")), false);
    }
  });

  test("without curl or wget it says so", async () => {
    const { env } = await user("no-downloader");
    const bin = join(root.path, "no-downloader", "fake-bin"); // uname only: no curl, no wget
    const outcome = await install([], { ...env, PATH: bin });
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /neither curl nor wget is installed/);
  });

  test("wget works where curl is missing", { skip: !onPath("wget") }, async () => {
    const { home, env } = await user("wget-only");
    const bin = join(home, "fake-bin");
    for (const tool of ["wget", "mktemp", "awk", "cut", "sha256sum", "shasum", "tar", "gzip", "mkdir", "cp", "chmod", "mv", "rm"]) {
      const found = whichSync(tool);
      if (found !== undefined) await symlink(found, join(bin, tool));
    }
    const outcome = await install([], { ...env, PATH: bin });
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.equal(await runInstalled(join(home, ".local", "bin", "runos")), `runos ${VERSION} linux-x64`);
  });
});

function whichSync(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir !== "" && existsSync(join(dir, tool))) return join(dir, tool);
  }
  return undefined;
}

function onPath(tool: string): boolean {
  return whichSync(tool) !== undefined;
}
