/**
 * What `runos mcp serve <tier>` loads before it answers the MCP handshake: mod.ts, the serve module
 * it imports for a serve command line, and everything those import statically. None of it may be a
 * package (the MCP SDK, zod, commander, msw, smol-toml): they load later, by import(), when the
 * first message the handshake does not answer arrives, or for other commands. A static import of one
 * of them on this path would put it back on every client's first answers. The same holds for the
 * background catalog check a signed-in server starts after `initialized`, before its client's first
 * call: it loads its packages only for a check that is due.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { loadTimeImports } from "./_imports.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/**
 * The modules a serve command line starts from: the entry, the serve command line it imports first
 * thing (after holding the JIT back), and the server that imports for it.
 */
const STARTS = ["mod.ts", "src/cli/fast_serve.ts", "src/mcp/stdio/serve.ts"];

/** Every module reached from `starts` by load-time imports: our files, and the packages they name. */
function loadTimeClosure(starts: readonly string[]): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const pending = [...starts];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of loadTimeImports(readFileSync(join(ROOT, file), "utf8"))) {
      if (specifier.startsWith(".")) pending.push(relative(ROOT, join(ROOT, dirname(file), specifier)));
      else if (!specifier.startsWith("node:")) packages.set(specifier, file);
    }
  }
  return { files, packages };
}

describe("the MCP handshake's load path", () => {
  it("reads load-time imports the way the bundlers do: types-only imports are erased", () => {
    const source = [
      'import process from "node:process";',
      'import type { A } from "./a.ts";',
      'import { type B, type C } from "./b.ts";',
      'import { type D, e } from "./d.ts";',
      'export { f } from "./f.ts";',
      'export type { G } from "./g.ts";',
      'import "./side_effect.ts";',
      'import * as all from "./all.ts";',
      "const later = await import(\"./lazy.ts\");",
    ].join("\n");
    assert.deepEqual(loadTimeImports(source), ["node:process", "./d.ts", "./f.ts", "./side_effect.ts", "./all.ts"]);
  });

  it("imports no package before the handshake is answered: the SDK, zod, commander and msw load later", () => {
    const { files, packages } = loadTimeClosure(STARTS);
    assert.ok(files.has("src/mcp/stdio/handshake.ts") && files.has("src/cli/fast_serve.ts"), [...files].join(", "));
    assert.deepEqual([...packages].map(([name, by]) => `${name} (imported by ${by})`), []);
  });

  it("the catalog check a signed-in server starts after `initialized`, before its client's first call, loads no package until a check is due", () => {
    const { packages } = loadTimeClosure(["src/catalog/sync.ts"]);
    assert.deepEqual([...packages].map(([name, by]) => `${name} (imported by ${by})`), []);
  });

  it("the rule above can fail: the download a due check loads does load zod", () => {
    assert.ok(loadTimeClosure(["src/catalog/fetch.ts"]).packages.has("zod"));
  });
});
