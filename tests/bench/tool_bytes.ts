/**
 * `make bench`, context cost, per tier: what each server's tools cost, on the wire (`tools/list`) and in
 * the model's context (name + description + input schema: what clients show their model), for the
 * embedded baseline and for RunOS-shaped catalogs, listed in full, by default (`auto`) and in discovery
 * mode; where a tool's bytes go; and what a typical answer costs (result_bytes.ts). Checks the goals
 * (≤ 400 model-visible bytes per tool on average on every baseline tier; discovery and, on the
 * full-scale catalog, the default listing ≤ 8 KB) and writes bench/tool_bytes.md. A measurement, never
 * a test.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Tool } from "@modelcontextprotocol/server";
import { baselineCatalog } from "../../src/catalog/load.ts";
import { buildOperations, type Operation } from "../../src/catalog/operation.ts";
import { parseCatalog } from "../../src/catalog/schema.ts";
import { buildRegistry, type ToolsMode } from "../../src/mcp/tools/registry.ts";
import { TIERS } from "../../src/policy/tier.ts";
import { modelVisibleBytes, utf8Bytes } from "../_harness/model_bytes.ts";
import { typicalResultBytes } from "./result_bytes.ts";

/** Goals: model-visible bytes per tool on a baseline tier, and a discovery (or full-scale default) listing. */
const PER_TOOL_GOAL = 400;
const LISTING_GOAL = 8192;

function fixture(name: string): Operation[] {
  const parsed = parseCatalog(JSON.parse(readFileSync(new URL(`../../fixtures/catalog/${name}.json`, import.meta.url), "utf8")));
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return buildOperations(parsed.catalog);
}

/** A catalog measured, and whether it is RunOS's full scale (its default listing must stay small). */
interface MeasuredCatalog {
  readonly label: string;
  readonly operations: Operation[];
  readonly fullScale: boolean;
}

const catalogs: MeasuredCatalog[] = [
  { label: "baseline", operations: buildOperations(baselineCatalog()), fullScale: false },
  { label: "runos_full (999 commands)", operations: fixture("runos_full"), fullScale: true },
  { label: "vllm_45_6_0 (20 commands)", operations: fixture("vllm_45_6_0"), fullScale: false },
];

const wireBytes = (tools: readonly Tool[]) => utf8Bytes(JSON.stringify(tools));
const format = (bytes: number) => bytes.toLocaleString("en");
const average = (values: readonly number[]) => Math.round(values.reduce((sum, value) => sum + value, 0) / values.length);

const rows: string[] = [];
const goals: string[] = [];
for (const { label, operations, fullScale } of catalogs) {
  for (const mode of ["all", "auto", "discover"] as ToolsMode[]) {
    for (const tier of TIERS) {
      const registry = buildRegistry(tier, operations, { hasDefaultCluster: false, mode });
      const tools = registry.tools;
      const wire = wireBytes(tools);
      const model = tools.map(modelVisibleBytes);
      const largest = tools[model.indexOf(Math.max(...model))]!;
      rows.push(
        `| ${label} | ${mode}${mode === "auto" ? ` → ${registry.mode}` : ""} | ${tier} | ${tools.length} | ${format(wire)} | ${Math.round(wire / tools.length)} | ` +
          `${format(model.reduce((sum, bytes) => sum + bytes, 0))} | ${average(model)} | ${format(Math.max(...model))} (\`${largest.name}\`) |`,
      );
      if (label === "baseline" && mode === "all") {
        goals.push(`- baseline ${tier}: ${average(model)} model-visible bytes per tool (goal ≤ ${PER_TOOL_GOAL}): ${average(model) <= PER_TOOL_GOAL ? "met" : "not met"}`);
      }
      if (mode === "discover" || (fullScale && mode === "auto")) {
        const what = mode === "auto" ? `default listing (auto → ${registry.mode})` : "discover";
        goals.push(`- ${label} ${tier}, ${what}: ${format(wire)} bytes (goal ≤ ${format(LISTING_GOAL)}): ${wire <= LISTING_GOAL ? "met" : "not met"}`);
      }
    }
  }
}

/** The JSON bytes `"key":value` adds to an object (with its comma). */
const memberBytes = (key: string, value: unknown) => utf8Bytes(JSON.stringify({ [key]: value })) - 1;

const ARGUMENT_DESCRIPTIONS = "argument descriptions";
const ARGUMENT_CONSTRAINTS = "argument constraints (enum, pattern, default, bounds)";
const SCHEMA_SHAPE = "schema shape (argument names, types, required)";
const NOT_SHOWN = "not shown to the model (annotations, outputSchema, _meta, JSON keys)";

/** Where one tool's bytes go: what the model is shown, split, and what only the wire carries. */
function partsOf(tool: Tool): Record<string, number> {
  const parts: Record<string, number> = { "name": utf8Bytes(tool.name), "description": utf8Bytes(tool.description ?? ""), [ARGUMENT_DESCRIPTIONS]: 0, [ARGUMENT_CONSTRAINTS]: 0 };
  const properties = (tool.inputSchema as { properties?: Record<string, Record<string, unknown>> }).properties ?? {};
  for (const property of Object.values(properties)) {
    for (const [key, value] of Object.entries(property)) {
      if (key === "description") parts[ARGUMENT_DESCRIPTIONS]! += memberBytes(key, value);
      else if (key !== "type") parts[ARGUMENT_CONSTRAINTS]! += memberBytes(key, value);
    }
  }
  const model = modelVisibleBytes(tool);
  parts[SCHEMA_SHAPE] = model - Object.values(parts).reduce((sum, bytes) => sum + bytes, 0);
  parts["model-visible, in all"] = model;
  parts[NOT_SHOWN] = utf8Bytes(JSON.stringify(tool)) - model;
  return parts;
}

/** The average parts of every tier's tools (`--tools all`) for one catalog. */
function split(operations: readonly Operation[]) {
  return TIERS.map((tier) => {
    const tools = buildRegistry(tier, operations, { hasDefaultCluster: false, mode: "all" }).tools;
    const sums: Record<string, number> = {};
    for (const tool of tools) for (const [part, bytes] of Object.entries(partsOf(tool))) sums[part] = (sums[part] ?? 0) + bytes;
    return { tier, averages: Object.fromEntries(Object.entries(sums).map(([part, bytes]) => [part, Math.round(bytes / tools.length)])) };
  });
}

function splitTable(title: string, operations: readonly Operation[]): string[] {
  const averages = split(operations);
  return [
    `## Where a tool's bytes go (${title}, --tools all, average per tool)`,
    "",
    `| part | ${TIERS.join(" | ")} |`,
    `|---|${TIERS.map(() => "--:").join("|")}|`,
    ...Object.keys(averages[0]!.averages).map((part) => `| ${part} | ${averages.map((entry) => entry.averages[part]).join(" | ")} |`),
    "",
  ];
}

const baseline = catalogs[0]!.operations;
// What is left with no argument description and no constraint at all: the tier's floor for this catalog.
const floors = split(baseline).map(({ tier, averages }) => {
  const floor = averages.name! + averages.description! + averages[SCHEMA_SHAPE]!;
  return `- baseline ${tier}: ${floor} model-visible bytes per tool with every argument description and constraint taken out (names, descriptions and the schema's shape)`;
});

const results: string[] = [];
for (const tier of TIERS) {
  const measured = await typicalResultBytes(tier, baseline);
  for (const { tool, bytes, unfenced } of measured) results.push(`| ${tier} | \`${tool}\` | ${format(bytes)} | ${format(bytes - unfenced)} |`);
  results.push(`| **${tier}** | average of ${measured.length} | **${format(average(measured.map((entry) => entry.bytes)))}** | |`);
}

const report = [
  "# Context cost per tier",
  "",
  "`make bench` writes this file (tests/bench/tool_bytes.ts), no default cluster. *Wire*: UTF-8 bytes of the JSON of each " +
  "server's `tools/list` tools, everything the client receives. *Model-visible*: what a client shows its model of each tool, " +
  "UTF-8 bytes of its name + its description + the JSON of its input schema (Claude Code, Codex and Gemini CLI pass only " +
  "those; annotations, outputSchema and `_meta` stay with the client, and Codex also strips pattern, bounds and default).",
  "",
  "| catalog | --tools | tier | tools | wire bytes | wire per tool | model-visible bytes | model-visible per tool | largest tool, model-visible |",
  "|---|---|---|--:|--:|--:|--:|--:|---|",
  ...rows,
  "",
  "## Goals",
  "",
  ...goals,
  "",
  ...splitTable("baseline", baseline),
  ...floors,
  "",
  ...splitTable("vllm_45_6_0", catalogs[2]!.operations),
  "## A typical result per tier",
  "",
  "UTF-8 bytes of the text a model reads back from representative successful calls (tests/bench/result_bytes.ts): planned and " +
  "sent as a tool call is, to the fake API over its seed data (fixtures/state/), built by result.ts's `successResult` as API " +
  "data (fenced, redacted on the tiers without secrets). Calls that start a job are left out.",
  "",
  "| tier | call | text bytes | of which the fence and its note |",
  "|---|---|--:|--:|",
  ...results,
  "",
].join("\n");
writeFileSync(new URL("../../bench/tool_bytes.md", import.meta.url), report);
console.log(report);
