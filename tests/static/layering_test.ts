/**
 * Rules of the layout that a reading of the sources proves: the tier host (and with it `runos mcp
 * call` and `runos mcp tools`) loads no MCP SDK, however deep or late its imports, and a tier's powers
 * are read in policy/decide.ts only.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { loadTimeImports } from "./_imports.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The relative specifiers `source` imports later, by `import("…")` with a literal. */
function lateImports(source: string): string[] {
  return [...source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]!);
}

/** Every package `start` can ever load: its static and dynamic imports, followed through our files. */
function everyPackage(start: string): Map<string, string> {
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const pending = [start];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(join(ROOT, file), "utf8");
    for (const specifier of [...loadTimeImports(source), ...lateImports(source)]) {
      if (specifier.startsWith(".")) pending.push(relative(ROOT, join(ROOT, dirname(file), specifier)));
      else if (!specifier.startsWith("node:")) packages.set(specifier, file);
    }
  }
  return packages;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(folder, name));
}

describe("the layout's rules", () => {
  it("the tier host loads no MCP SDK, not even later: `mcp call` and `mcp tools` run without it", () => {
    const sdk = [...everyPackage("src/mcp/host/tier_host.ts")].filter(([name]) => name.startsWith("@modelcontextprotocol/"));
    assert.deepEqual(sdk.map(([name, by]) => `${name} (imported by ${by})`), []);
  });

  it("the rule above can fail: the SDK server over the host does load the SDK", () => {
    assert.ok(everyPackage("src/mcp/host/sdk_server.ts").has("@modelcontextprotocol/server"));
  });

  it("a tier's powers are read in policy/decide.ts only", () => {
    const readers = sourceFiles("src").filter((file) => file !== join("src", "policy", "decide.ts") && readFileSync(join(ROOT, file), "utf8").includes("TIER_POWERS"));
    assert.deepEqual(readers, []);
  });
});
