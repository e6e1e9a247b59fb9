/**
 * `make bench`, context cost: bytes per tool and in all of `tools/list`, per tier, for the embedded
 * baseline and for RunOS's full-scale catalog, listed in full and in discovery mode. Checks the goals
 * (≤ 400 bytes per tool on average on every baseline tier; discovery ≤ 8 KB at any size) and writes
 * bench/tool_bytes.md. A measurement, never a test.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { baselineCatalog } from "../../src/catalog/load.ts";
import { buildOperations, type Operation } from "../../src/catalog/operation.ts";
import { parseCatalog } from "../../src/catalog/schema.ts";
import { buildRegistry, type ToolsMode } from "../../src/mcp/registry.ts";
import { TIERS } from "../../src/policy/tier.ts";

function fixture(name: string): Operation[] {
  const parsed = parseCatalog(JSON.parse(readFileSync(new URL(`../../fixtures/catalog/${name}.json`, import.meta.url), "utf8")));
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return buildOperations(parsed.catalog);
}

const catalogs: [string, Operation[]][] = [["baseline", buildOperations(baselineCatalog())], ["runos_full (999 commands)", fixture("runos_full")]];
const rows: string[] = [];
const goals: string[] = [];
for (const [label, operations] of catalogs) {
  for (const mode of ["all", "auto", "discover"] as ToolsMode[]) {
    for (const tier of TIERS) {
      const registry = buildRegistry(tier, operations, { hasDefaultCluster: false, mode });
      const bytes = JSON.stringify(registry.tools).length;
      const perTool = Math.round(bytes / registry.tools.length);
      rows.push(`| ${label} | ${mode}${mode === "auto" ? ` → ${registry.mode}` : ""} | ${tier} | ${registry.tools.length} | ${bytes.toLocaleString("en")} | ${perTool} |`);
      if (label === "baseline" && mode === "all") goals.push(`- baseline ${tier}: ${perTool} bytes per tool (goal ≤ 400): ${perTool <= 400 ? "met" : "not met"}`);
      if (mode === "discover") goals.push(`- ${label} ${tier}, discover: ${bytes.toLocaleString("en")} bytes (goal ≤ 8,192): ${bytes <= 8192 ? "met" : "not met"}`);
    }
  }
}
const report = [
  "# tools/list size per tier",
  "",
  "`make bench` writes this file (tests/bench/tool_bytes.ts): JSON bytes of each server's `tools/list` tools, no default cluster.",
  "",
  "| catalog | --tools | tier | tools | bytes | bytes per tool |",
  "|---|---|---|--:|--:|--:|",
  ...rows,
  "",
  "## Goals",
  "",
  ...goals,
  "",
].join("\n");
writeFileSync(new URL("../../bench/tool_bytes.md", import.meta.url), report);
console.log(report);
