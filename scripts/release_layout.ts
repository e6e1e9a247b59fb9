/**
 * How a release looks on disk and on the download server: one archive per platform,
 * `runos-<version>-<os>-<arch>.tar.gz` (`.zip` for Windows) holding `runos` (`runos.exe`) and
 * README.md, plus `SHA256SUMS` in sha256sum's format. scripts/release.ts writes it, install.sh reads it,
 * tests/release/ checks both against this one description.
 */
import { createHash } from "node:crypto";

/** The platforms runos ships for, as Bun's `--target=bun-<target>` spells them. */
export const RELEASE_TARGETS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "windows-x64"] as const;

/** One release platform. */
export type ReleaseTarget = (typeof RELEASE_TARGETS)[number];

/** Whether `text` names a release platform. */
export function isReleaseTarget(text: string): text is ReleaseTarget {
  return (RELEASE_TARGETS as readonly string[]).includes(text);
}

/** The executable's name inside the archive. */
export function binaryName(target: ReleaseTarget): string {
  return target.startsWith("windows-") ? "runos.exe" : "runos";
}

/** The archive's file name, e.g. `runos-0.1.0-linux-x64.tar.gz`. */
export function archiveName(version: string, target: ReleaseTarget): string {
  return `runos-${version}-${target}${target.startsWith("windows-") ? ".zip" : ".tar.gz"}`;
}

/** The release platform of the machine running this (`process.platform`, `process.arch`), if any. */
export function hostTarget(platform: string, arch: string): ReleaseTarget | undefined {
  const os = ({ linux: "linux", darwin: "darwin", win32: "windows" } as Record<string, string>)[platform];
  const candidate = `${os}-${arch}`;
  return isReleaseTarget(candidate) ? candidate : undefined;
}

/** The SHA256SUMS text for `files` (name → bytes): `<hex>  <name>` lines sorted by name. */
export function sha256sums(files: ReadonlyMap<string, Uint8Array>): string {
  return [...files.keys()].sort().map((name) => `${createHash("sha256").update(files.get(name)!).digest("hex")}  ${name}\n`).join("");
}
