/**
 * The program version, read from package.json at build time (a JSON import, so `bun build --compile`
 * embeds it). The user agent and `runos --version` use it.
 */
import packageJson from "../package.json" with { type: "json" };

/** This runos release, e.g. `0.1.0`. */
export const VERSION: string = packageJson.version;
