/**
 * Golden-file support for the config writer tests: copy a fixture tree (`project/`, `home/`) into a
 * temp dir, run a writer there, and compare the result with the expected tree. `{{PROJECT}}` and
 * `{{HOME}}` in fixture files stand for the temp paths; UPDATE_GOLDENS=1 rewrites the `after/` trees.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { baselineCatalog } from "../../src/catalog/load.ts";
import { buildOperations, type Operation } from "../../src/catalog/operation.ts";
import { parseCatalog } from "../../src/catalog/schema.ts";
import catalogJson from "../../fixtures/configure/catalog.json" with { type: "json" };

/** The fixtures/configure directory. */
export const FIXTURES = fileURLToPath(new URL("../../fixtures/configure/", import.meta.url));

/** The fixed command goldens are written with. */
export const GOLDEN_SELF = { command: "/opt/runos/bin/runos", args: [] as string[] };

/** The small test catalog's operations (stable goldens whatever the baseline becomes). */
export function testOperations(): Operation[] {
  const parsed = parseCatalog(catalogJson);
  if (!parsed.ok) throw new Error(`fixtures/configure/catalog.json: ${parsed.problems.join("; ")}`);
  return buildOperations(parsed.catalog);
}

/** The embedded baseline catalog's operations. */
export function baselineOperations(): Operation[] {
  return buildOperations(baselineCatalog());
}

/** Every file under `root` (relative paths, sorted) → its text; missing root → empty. */
export async function readTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  async function walk(dir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.set(relative(root, path), await readFile(path, "utf8"));
    }
  }
  await walk(root);
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Write `files` under `root`. */
export async function writeTree(root: string, files: Map<string, string>): Promise<void> {
  for (const [path, text] of files) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

/** Replace the placeholders with the temp paths (or back, with `reverse`). */
export function substitute(text: string, paths: { project: string; home: string }, reverse = false): string {
  if (reverse) return text.replaceAll(paths.project, "{{PROJECT}}").replaceAll(paths.home, "{{HOME}}");
  return text.replaceAll("{{PROJECT}}", paths.project).replaceAll("{{HOME}}", paths.home);
}

/** Whether goldens should be rewritten instead of compared. */
export function updatingGoldens(): boolean {
  return process.env.UPDATE_GOLDENS === "1";
}

/** Replace the `after/` tree of a case with `files`. */
export async function rewriteGolden(caseDir: string, files: Map<string, string>): Promise<void> {
  await rm(join(caseDir, "after"), { recursive: true, force: true });
  await writeTree(join(caseDir, "after"), files);
}
