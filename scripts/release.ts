/**
 * `make release`: compile runos for every platform (or the ones named) and package each into
 * dist/release/ as scripts/release_layout.ts describes, then write SHA256SUMS. The commit and build
 * date are injected by scripts/compile.sh, pinned once for the whole release. The binary for this
 * machine, when built, is run once (`--version`) before it is packaged.
 *
 *   node_modules/.bin/bun scripts/release.ts [TARGET…]     TARGET: linux-x64 linux-arm64 darwin-x64 darwin-arm64 windows-x64
 *
 * Cross-compiling needs Bun's base binary of each platform, fetched from the npm registry the first
 * time (cached in ~/.bun/install/cache).
 */
import { execFile, spawn } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type ArchiveEntry, tarGz, zip } from "./archive.ts";
import { archiveName, binaryName, hostTarget, isReleaseTarget, RELEASE_TARGETS, type ReleaseTarget, sha256sums } from "./release_layout.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const OUT = join(ROOT, "dist", "release");

function run(command: string, args: string[], env: Record<string, string | undefined>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`))));
  });
}

async function main(argv: string[]): Promise<void> {
  const began = performance.now();
  const unknown = argv.filter((arg) => !isReleaseTarget(arg));
  if (unknown.length > 0) throw new Error(`unknown target ${unknown.join(", ")}; choose from ${RELEASE_TARGETS.join(" ")}`);
  const targets: readonly ReleaseTarget[] = argv.length === 0 ? RELEASE_TARGETS : (argv as ReleaseTarget[]);
  const { version } = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };
  const epoch = process.env.SOURCE_DATE_EPOCH === undefined || process.env.SOURCE_DATE_EPOCH === "" ? Math.floor(Date.now() / 1000) : Number(process.env.SOURCE_DATE_EPOCH);
  const env = { ...process.env, RUNOS_BUILD_DATE: process.env.RUNOS_BUILD_DATE || new Date(epoch * 1000).toISOString().slice(0, 10) };
  const readme = new Uint8Array(await readFile(join(ROOT, "README.md")));

  await rm(OUT, { recursive: true, force: true });
  const stage = join(OUT, ".stage");
  await mkdir(stage, { recursive: true });
  const archives = new Map<string, Uint8Array>();
  try {
    for (const target of targets) {
      const binary = join(stage, target, binaryName(target));
      console.error(`release: compiling ${target}`);
      await run("sh", ["scripts/compile.sh", "mod.ts", binary, target], env);
      if (target === hostTarget(process.platform, process.arch)) {
        const { stdout } = await promisify(execFile)(binary, ["--version"], { env });
        if (!stdout.includes(version)) throw new Error(`${binary} --version printed ${JSON.stringify(stdout)}, not version ${version}`);
        console.error(`release: ${target} runs: ${stdout.trim()}`);
      }
      const entries: ArchiveEntry[] = [
        { name: binaryName(target), data: new Uint8Array(await readFile(binary)), mode: 0o755 },
        { name: "README.md", data: readme, mode: 0o644 },
      ];
      const name = archiveName(version, target);
      const bytes = target.startsWith("windows-") ? zip(entries, epoch) : tarGz(entries, epoch);
      await writeFile(join(OUT, name), bytes);
      archives.set(name, bytes);
      await rm(join(stage, target), { recursive: true, force: true });
      console.error(`release: wrote dist/release/${name} (${(bytes.length / 2 ** 20).toFixed(1)} MiB)`);
    }
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
  const sums = sha256sums(archives);
  await writeFile(join(OUT, "SHA256SUMS"), sums);
  process.stdout.write(sums);
  console.error(`release: ${archives.size} archives and SHA256SUMS in dist/release/ (${((performance.now() - began) / 1000).toFixed(0)} s)`);
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  console.error(`release: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
