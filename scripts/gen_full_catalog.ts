/**
 * `make catalog-fixture`: write the two catalog fixtures that hold our code to RunOS's real catalog.
 * - fixtures/catalog/runos_full.json: about a thousand commands over 22 service types, RunOS's tagging
 *   (read commands `read` only, pre-45.0.0 `credentials` hazards included), RunOS's description lengths.
 * - fixtures/catalog/vllm_45_6_0.json: the 20 commands of the vLLM family in manifest 45.6.0's shape.
 * Deterministic: the same bytes on every run (tests regenerate in memory and compare).
 */
import { Buffer } from "node:buffer";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Catalog } from "../src/catalog/schema.ts";
import { command } from "./catalog_gen/command.ts";
import { buildFullCatalog } from "./catalog_gen/full_catalog.ts";
import { vllmFixtureSpecs } from "./catalog_gen/vllm.ts";

export { buildFullCatalog } from "./catalog_gen/full_catalog.ts";

/** The version of the vLLM fixture: the manifest RunOS's published vLLM snapshot comes from. */
export const VLLM_CATALOG_VERSION = "45.6.0";

/** The vLLM family catalog, 20 commands. */
export function buildVllmCatalog(): Catalog {
  return { version: VLLM_CATALOG_VERSION, commands: vllmFixtureSpecs().map(command) };
}

/** A catalog as the fixture's bytes: two-space JSON and a final newline. */
export function renderCatalog(catalog: Catalog): string {
  return `${JSON.stringify(catalog, null, 2)}\n`;
}

/** Each fixture file (relative to the repository root) and how to build it. */
export const CATALOG_FIXTURES: readonly { readonly path: string; readonly build: () => Catalog }[] = [
  { path: "fixtures/catalog/runos_full.json", build: buildFullCatalog },
  { path: "fixtures/catalog/vllm_45_6_0.json", build: buildVllmCatalog },
];

if (import.meta.main) {
  for (const fixture of CATALOG_FIXTURES) {
    const catalog = fixture.build();
    const text = renderCatalog(catalog);
    writeFileSync(fileURLToPath(new URL(`../${fixture.path}`, import.meta.url)), text);
    console.log(`${fixture.path}: ${catalog.commands.length} commands, ${Buffer.byteLength(text)} bytes`);
  }
}
