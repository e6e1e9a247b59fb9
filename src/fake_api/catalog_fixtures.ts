/**
 * The catalogs the fake API can serve, by name: its default (`manifest`, what the seed serves) and the
 * two that hold our code to RunOS's real catalog (`runos_full`, about a thousand commands, and
 * `vllm_45_6_0`, the vLLM family of manifest 45.6.0; both from `make catalog-fixture`). Loaded on
 * demand, so that a fake API serving the default never parses the big ones.
 */
import { type Catalog, parseCatalog } from "../catalog/schema.ts";

/** Each servable catalog and its fixture file, relative to the repository root. */
export const SERVABLE_CATALOGS = {
  manifest: "fixtures/catalog/manifest.json",
  runos_full: "fixtures/catalog/runos_full.json",
  vllm_45_6_0: "fixtures/catalog/vllm_45_6_0.json",
} as const;

/** The name of a servable catalog fixture. */
export type CatalogFixtureName = keyof typeof SERVABLE_CATALOGS;

async function importFixture(name: CatalogFixtureName): Promise<unknown> {
  switch (name) {
    case "manifest":
      return (await import("../../fixtures/catalog/manifest.json", { with: { type: "json" } })).default;
    case "runos_full":
      return (await import("../../fixtures/catalog/runos_full.json", { with: { type: "json" } })).default;
    case "vllm_45_6_0":
      return (await import("../../fixtures/catalog/vllm_45_6_0.json", { with: { type: "json" } })).default;
  }
}

/** Load and parse one catalog fixture; a fixture that does not parse is a bug and throws. */
export async function loadCatalogFixture(name: CatalogFixtureName): Promise<Catalog> {
  const parsed = parseCatalog(structuredClone(await importFixture(name)));
  if (!parsed.ok) throw new Error(`${SERVABLE_CATALOGS[name]} is not a valid catalog: ${parsed.problems.join("; ")}`);
  return parsed.catalog;
}
