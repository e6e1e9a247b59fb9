/**
 * The release's own archive writer and layout, checked against the tools users unpack with: the
 * system's tar for .tar.gz, unzip (when installed) for .zip, sha256sum -c for SHA256SUMS.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import { promisify } from "node:util";
import { type ArchiveEntry, crc32, tarGz, zip } from "../../scripts/archive.ts";
import { archiveName, binaryName, hostTarget, RELEASE_TARGETS, sha256sums } from "../../scripts/release_layout.ts";
import { withTempDir } from "../_harness/temp_project.ts";

const run = promisify(execFile);
const MTIME = 1_764_547_200; // 2025-12-01T00:00:00Z

/** A binary-like payload longer than one tar block and not a multiple of 512, and a text file. */
function sampleEntries(binary: string): ArchiveEntry[] {
  const payload = new Uint8Array(70_001).map((_, i) => (i * 7919) % 251);
  return [
    { name: binary, data: payload, mode: 0o755 },
    { name: "README.md", data: new TextEncoder().encode("# runos\n"), mode: 0o644 },
  ];
}

function hasTool(tool: string): boolean {
  return (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && existsSync(join(dir, tool)));
}

test("CRC-32 is the IEEE one zip expects", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array()), 0);
});

test("a .tar.gz unpacks with the system's tar to the same bytes, modes and date", async () => {
  await withTempDir("archive-tar", async (dir) => {
    const entries = sampleEntries("runos");
    await writeFile(join(dir, "a.tar.gz"), tarGz(entries, MTIME));
    const { stdout } = await run("tar", ["-tzf", join(dir, "a.tar.gz")]);
    assert.deepEqual(stdout.trim().split("\n"), ["runos", "README.md"]);
    await run("tar", ["-xzf", join(dir, "a.tar.gz"), "-C", dir]);
    for (const entry of entries) {
      assert.deepEqual(new Uint8Array(await readFile(join(dir, entry.name))), entry.data);
      const stat = statSync(join(dir, entry.name));
      assert.equal(stat.mode & 0o777, entry.mode);
      assert.equal(Math.round(stat.mtimeMs / 1000), MTIME);
    }
  });
});

test("a .zip passes unzip's test and unpacks to the same bytes with the executable bit", { skip: !hasTool("unzip") }, async () => {
  await withTempDir("archive-zip", async (dir) => {
    const entries = sampleEntries("runos.exe");
    await writeFile(join(dir, "a.zip"), zip(entries, MTIME));
    const { stdout } = await run("unzip", ["-t", join(dir, "a.zip")]);
    assert.match(stdout, /No errors detected/);
    await run("unzip", ["-q", join(dir, "a.zip"), "-d", join(dir, "out")]);
    for (const entry of entries) {
      assert.deepEqual(new Uint8Array(await readFile(join(dir, "out", entry.name))), entry.data);
      assert.equal(statSync(join(dir, "out", entry.name)).mode & 0o777, entry.mode);
    }
  });
});

test("every platform gets its archive name and binary name; Windows a .zip with runos.exe", () => {
  assert.deepEqual(RELEASE_TARGETS.map((target) => [archiveName("0.1.0", target), binaryName(target)]), [
    ["runos-0.1.0-linux-x64.tar.gz", "runos"],
    ["runos-0.1.0-linux-arm64.tar.gz", "runos"],
    ["runos-0.1.0-darwin-x64.tar.gz", "runos"],
    ["runos-0.1.0-darwin-arm64.tar.gz", "runos"],
    ["runos-0.1.0-windows-x64.zip", "runos.exe"],
  ]);
  assert.equal(hostTarget("linux", "x64"), "linux-x64");
  assert.equal(hostTarget("darwin", "arm64"), "darwin-arm64");
  assert.equal(hostTarget("win32", "x64"), "windows-x64");
  assert.equal(hostTarget("freebsd", "x64"), undefined);
  assert.equal(hostTarget("win32", "arm64"), undefined);
});

test("SHA256SUMS is in sha256sum's format, sorted, and sha256sum -c accepts it", { skip: !hasTool("sha256sum") }, async () => {
  await withTempDir("archive-sums", async (dir) => {
    const files = new Map([["runos-0.1.0-linux-x64.tar.gz", new TextEncoder().encode("linux")], ["runos-0.1.0-darwin-arm64.tar.gz", new TextEncoder().encode("mac")]]);
    for (const [name, bytes] of files) await writeFile(join(dir, name), bytes);
    const sums = sha256sums(files);
    assert.match(sums, /^[0-9a-f]{64} {2}runos-0\.1\.0-darwin-arm64\.tar\.gz\n[0-9a-f]{64} {2}runos-0\.1\.0-linux-x64\.tar\.gz\n$/);
    await writeFile(join(dir, "SHA256SUMS"), sums);
    const { stdout } = await run("sha256sum", ["-c", "SHA256SUMS"], { cwd: dir });
    assert.equal(stdout, "runos-0.1.0-darwin-arm64.tar.gz: OK\nrunos-0.1.0-linux-x64.tar.gz: OK\n");
  });
});
