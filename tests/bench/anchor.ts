/**
 * The Go anchor: kubernetes-mcp-server, a stdio MCP server written in Go, installed from npm on
 * demand (never a dependency of runos). Its npm package ships one native binary per platform in an
 * optional dependency (`kubernetes-mcp-server-linux-amd64`, …); the bench runs that binary directly,
 * not the package's Node wrapper, so no Node start-up is counted. It is started offline with a dummy
 * kubeconfig and `--read-only`.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { promisify } from "node:util";

/** The version the bench installs; BENCH_ANCHOR_VERSION overrides it. */
export const ANCHOR_VERSION: string = process.env.BENCH_ANCHOR_VERSION ?? "0.0.67";

/** A usable anchor, or why there is none. */
export type Anchor =
  | { readonly ok: true; readonly binary: string; readonly version: string }
  | { readonly ok: false; readonly reason: string };

/** The platform package's suffix (`linux-amd64`), or undefined where none is published. */
export function anchorPlatform(platform: string, arch: string): string | undefined {
  const os = ({ linux: "linux", darwin: "darwin", win32: "windows" } as Record<string, string>)[platform];
  const cpu = ({ x64: "amd64", arm64: "arm64" } as Record<string, string>)[arch];
  return os === undefined || cpu === undefined ? undefined : `${os}-${cpu}`;
}

/** Install the anchor into `cacheDir` unless it is there already; never throws. */
export async function installAnchor(cacheDir: string): Promise<Anchor> {
  const suffix = anchorPlatform(process.platform, process.arch);
  if (suffix === undefined) return { ok: false, reason: `kubernetes-mcp-server publishes no binary for ${process.platform}-${process.arch}` };
  const prefix = join(cacheDir, `kubernetes-mcp-server-${ANCHOR_VERSION}`);
  const binary = join(prefix, "node_modules", `kubernetes-mcp-server-${suffix}`, "bin", `kubernetes-mcp-server-${suffix}${process.platform === "win32" ? ".exe" : ""}`);
  if (!existsSync(binary)) {
    try {
      await mkdir(prefix, { recursive: true });
      await promisify(execFile)(
        "npm",
        ["install", "--prefix", prefix, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error", `kubernetes-mcp-server@${ANCHOR_VERSION}`],
        { timeout: 180_000 },
      );
    } catch (error) {
      const lines = String((error as { stderr?: unknown }).stderr ?? error).trim().split("\n");
      const message = lines.filter((line) => line.trim() !== "" && !/complete log of this run/.test(line)).slice(0, 2).join(" ");
      return { ok: false, reason: `could not install kubernetes-mcp-server@${ANCHOR_VERSION} from npm (${message || "no network?"})` };
    }
    if (!existsSync(binary)) return { ok: false, reason: `npm installed kubernetes-mcp-server@${ANCHOR_VERSION} without its ${suffix} binary` };
  }
  return { ok: true, binary, version: ANCHOR_VERSION };
}

/** Write a kubeconfig pointing at a closed local port (the anchor never needs to reach it to list tools). */
export async function writeDummyKubeconfig(dir: string): Promise<string> {
  const path = join(dir, "kubeconfig");
  await writeFile(path, [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: bench",
    "  cluster:",
    "    server: https://127.0.0.1:9",
    "contexts:",
    "- name: bench",
    "  context: {cluster: bench, user: bench}",
    "current-context: bench",
    "users:",
    "- name: bench",
    "  user: {token: bench-not-a-secret}",
    "",
  ].join("\n"));
  return path;
}
