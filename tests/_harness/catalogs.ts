/**
 * Catalog fixtures by name: `fixtures/catalog/<name>.json`, parsed with the catalog's own schema (as
 * `runos manifest update` would take it), so a fixture that stopped matching the wire shape fails loudly.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseCatalog, type Catalog } from "../../src/catalog/schema.ts";

/** Path of a catalog fixture. */
export function catalogFixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/catalog/${name}.json`, import.meta.url));
}

/** Read and parse `fixtures/catalog/<name>.json`. */
export function loadCatalogFixture(name: string): Catalog {
  const parsed = parseCatalog(JSON.parse(readFileSync(catalogFixturePath(name), "utf8")));
  if (!parsed.ok) throw new Error(`fixtures/catalog/${name}.json is not a valid catalog: ${parsed.problems.join("; ")}`);
  return parsed.catalog;
}
