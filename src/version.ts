/**
 * What this runos is: the release version, read from package.json at build time (a JSON import, so
 * `bun build --compile` embeds it), and the commit and date of the build. The user agent and MCP
 * `serverInfo` use {@link VERSION}; `runos --version` prints {@link VERSION_LINE}.
 *
 * Commit and date are injected when compiling (`scripts/compile.sh` passes
 * `bun build --define RUNOS_BUILD_COMMIT='"abc1234"' --define RUNOS_BUILD_DATE='"2026-12-01"'`), so
 * nothing runs git or reads a file at start-up. Run from source, neither identifier exists and the
 * line says so.
 */
import packageJson from "../package.json" with { type: "json" };

// Replaced by literals under `bun build --define`; undeclared globals (typeof "undefined") otherwise.
declare const RUNOS_BUILD_COMMIT: string | undefined;
declare const RUNOS_BUILD_DATE: string | undefined;

/** This runos release, e.g. `0.1.0`. */
export const VERSION: string = packageJson.version;

/** The short commit the binary was built from (`abc1234`, `abc1234-dirty`), or undefined from source. */
export const BUILD_COMMIT: string | undefined = typeof RUNOS_BUILD_COMMIT === "string" ? RUNOS_BUILD_COMMIT : undefined;

/** The day the binary was built (`2026-12-01`, UTC), or undefined from source. */
export const BUILD_DATE: string | undefined = typeof RUNOS_BUILD_DATE === "string" ? RUNOS_BUILD_DATE : undefined;

/**
 * The `--version` text: `runos 0.1.0 (commit abc1234, built 2026-12-01)` for a build,
 * `runos 0.1.0 (commit unknown, run from source)` otherwise.
 */
export function versionLine(version: string, commit: string | undefined, date: string | undefined): string {
  const built = date === undefined ? (commit === undefined ? "run from source" : "build date unknown") : `built ${date}`;
  return `runos ${version} (commit ${commit ?? "unknown"}, ${built})`;
}

/** What `runos --version` prints for this program. */
export const VERSION_LINE: string = versionLine(VERSION, BUILD_COMMIT, BUILD_DATE);
