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

/** The JSON bytes `"key":value` adds to an object (with its comma). */
const memberBytes = (key: string, value: unknown) => JSON.stringify({ [key]: value }).length - 1;

/** Where one tool's bytes go: its name and description, annotations and `_meta`, argument descriptions and constraints, and the schema's shape. */
function partsOf(tool: Record<string, unknown>): Record<string, number> {
  const parts: Record<string, number> = { "name + description": 0, "annotations": 0, "_meta": 0, "argument descriptions": 0, "argument constraints (pattern, enum, default, bounds)": 0 };
  parts["name + description"] = memberBytes("name", tool.name) + (tool.description === undefined ? 0 : memberBytes("description", tool.description));
  if (tool.annotations !== undefined) parts.annotations = memberBytes("annotations", tool.annotations);
  if (tool._meta !== undefined) parts._meta = memberBytes("_meta", tool._meta);
  const properties = ((tool.inputSchema as { properties?: Record<string, Record<string, unknown>> }).properties) ?? {};
  for (const property of Object.values(properties)) {
    for (const [key, value] of Object.entries(property)) {
      if (key === "description") parts["argument descriptions"]! += memberBytes(key, value);
      else if (key !== "type") parts["argument constraints (pattern, enum, default, bounds)"]! += memberBytes(key, value);
    }
  }
  const total = JSON.stringify(tool).length;
  parts["schema shape (argument names, types, required)"] = total - Object.values(parts).reduce((sum, bytes) => sum + bytes, 0);
  return parts;
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
const baseline = catalogs[0]![1];
const split = TIERS.map((tier) => {
  const tools = buildRegistry(tier, baseline, { hasDefaultCluster: false, mode: "all" }).tools as unknown as Record<string, unknown>[];
  const sums: Record<string, number> = {};
  for (const tool of tools) for (const [part, bytes] of Object.entries(partsOf(tool))) sums[part] = (sums[part] ?? 0) + bytes;
  return { tier, averages: Object.fromEntries(Object.entries(sums).map(([part, bytes]) => [part, Math.round(bytes / tools.length)])) };
});
const partNames = Object.keys(split[0]!.averages);
// What is left with no argument description and no constraint at all: the tier's floor for this catalog.
const floors = split.map(({ tier, averages }) => {
  const floor = averages["name + description"]! + averages.annotations! + averages._meta! + averages["schema shape (argument names, types, required)"]!;
  return `- baseline ${tier}: ${floor} bytes per tool with every argument description and constraint taken out (names, descriptions, the four annotations and the schema's shape)`;
});

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
  "## Where a tool's bytes go (baseline, --tools all, average per tool)",
  "",
  `| part | ${TIERS.join(" | ")} |`,
  `|---|${TIERS.map(() => "--:").join("|")}|`,
  ...partNames.map((part) => `| ${part} | ${split.map((entry) => entry.averages[part]).join(" | ")} |`),
  "",
  ...floors,
  "",
].join("\n");
writeFileSync(new URL("../../bench/tool_bytes.md", import.meta.url), report);
console.log(report);
