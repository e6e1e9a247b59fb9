/** Prints src/version.ts's `--version` line; version_test compiles it to prove the build injects commit and date. */
import { VERSION_LINE } from "../../src/version.ts";

console.log(VERSION_LINE);
