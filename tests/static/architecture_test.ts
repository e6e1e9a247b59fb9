/**
 * ARCHITECTURE.md stays true both ways. Its layout has a line for every source file (`mod.ts` and
 * every `.ts` file under `src/`) and every folder of `src/`, and nothing it names, in the layout or in
 * backticks in its prose, is missing from the repository. A file added, moved or deleted without its line fails
 * here, with the names to fix.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DOC = "ARCHITECTURE.md";
/** The heading of the section whose code block is the layout. */
const LAYOUT_HEADING = /^## The layout\b/;

/** What the doc names: the layout's folders and files, and the repository paths its prose quotes. */
export interface DocNames {
  /** Folders of the layout, from the repository root, ending in `/` (`src/mcp/stdio/`). */
  readonly folders: string[];
  /** Files of the layout, from the repository root (`src/mcp/stdio/serve.ts`, `mod.ts`). */
  readonly files: string[];
  /** Layout lines that name no folder for their file, or say nothing about it. */
  readonly malformed: string[];
  /** Backticked tokens of the prose that look like repository paths (`mcp/call/call.ts`, `cli/doctor/`). */
  readonly quoted: string[];
}

/**
 * Read the names out of `markdown`. In the layout section's code blocks a line starting at column 0
 * is a folder (ending in `/`, from the repository root) or a file at the root; an indented line is a
 * file of the folder above it; the rest of each line says what it is. Everywhere else, backticked
 * tokens made only of path characters that end in `.ts`, `.json` or `/` are quoted paths.
 */
export function docNames(markdown: string): DocNames {
  const folders: string[] = [];
  const files: string[] = [];
  const malformed: string[] = [];
  const prose: string[] = [];
  let inLayout = false;
  let inCode = false;
  let folder: string | undefined;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) {
      inCode = !inCode;
      continue;
    }
    if (!inCode) {
      if (line.startsWith("## ")) inLayout = LAYOUT_HEADING.test(line);
      prose.push(line);
      continue;
    }
    if (!inLayout || line.trim() === "") continue;
    const match = /^(\s*)(\S+)\s*(.*)$/.exec(line)!;
    const [, indent, name, description] = match;
    if (description!.trim() === "") malformed.push(`${line.trim()} (says nothing about it)`);
    if (indent === "") {
      if (name!.endsWith("/")) {
        folder = name!;
        folders.push(name!);
      } else {
        folder = undefined;
        files.push(name!);
      }
    } else if (folder === undefined) {
      malformed.push(`${name} (no folder line above it)`);
    } else {
      files.push(`${folder}${name}`);
    }
  }
  const quoted: string[] = [];
  for (const match of prose.join("\n").matchAll(/`([^`\n]+)`/g)) {
    const token = match[1]!;
    if (/^[\w.\/-]+$/.test(token) && /(\.ts|\.json|\/)$/.test(token)) quoted.push(token);
  }
  return { folders, files, malformed, quoted };
}

/** Every file under `dir` (relative to the repository root), depth first. */
function walk(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) found.push(...walk(path));
    else found.push(path);
  }
  return found;
}

/** The source files the layout must name: `mod.ts` and every `.ts` under `src/`. */
function sourceFiles(): string[] {
  return ["mod.ts", ...walk("src").filter((path) => path.endsWith(".ts"))];
}

/** Every folder of `src/` that holds a file, `src/` included, each ending in `/`. */
function sourceFolders(): string[] {
  return [...new Set(walk("src").map((path) => `${path.slice(0, path.lastIndexOf("/"))}/`))];
}

function isFolder(path: string): boolean {
  return existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isDirectory();
}

function isFile(path: string): boolean {
  return existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isFile();
}

/**
 * A quoted path that names nothing in the repository, as the name to report; undefined when it
 * names something, or is not a repository path at all. `x/y.ts` and `x/` are read from the root or
 * from `src/` (`mcp/call/call.ts`); a bare `y.ts` must be some repository file's name. A `.json` or
 * a folder counts as a repository path only when its first segment is one (`fixtures/…`, `catalog/…`),
 * so a client's `.claude/settings.json` is left alone.
 */
function missingQuoted(token: string, basenames: ReadonlySet<string>): string | undefined {
  const exists = token.endsWith("/") ? isFolder : isFile;
  if (!token.includes("/")) {
    if (!token.endsWith(".ts")) return undefined;
    return basenames.has(token) ? undefined : token;
  }
  const first = token.split("/")[0]!;
  const isRepoPath = token.endsWith(".ts") || isFolder(first) || isFolder(`src/${first}`);
  if (!isRepoPath || exists(token) || exists(`src/${token}`)) return undefined;
  return token.startsWith("src/") || isFolder(first) ? token : `src/${token}`;
}

/** Sorted, without repeats. */
function sorted(names: Iterable<string>): string[] {
  return [...new Set(names)].sort();
}

describe("ARCHITECTURE.md", () => {
  it("reads folder and file lines from the layout, and quoted paths from the prose", () => {
    const markdown = [
      "Intro naming `mcp/call/call.ts`, `cli/doctor/`, `.claude/settings.json` and `runos mcp serve`.",
      "## The layout",
      "```",
      "mod.ts            Entry.",
      "src/              Shared modules.",
      "  errors.ts       Typed errors.",
      "src/mcp/call/     One call.",
      "  call.ts         The call path.",
      "  result.ts",
      "```",
      "## Data flow",
      "```",
      "  not.ts          Not the layout.",
      "```",
    ].join("\n");
    assert.deepEqual(docNames(markdown), {
      folders: ["src/", "src/mcp/call/"],
      files: ["mod.ts", "src/errors.ts", "src/mcp/call/call.ts", "src/mcp/call/result.ts"],
      malformed: ["result.ts (says nothing about it)"],
      quoted: ["mcp/call/call.ts", "cli/doctor/", ".claude/settings.json"],
    });
  });

  const names = (): DocNames => docNames(readFileSync(join(ROOT, DOC), "utf8"));

  it("has a layout line for every source file and every folder of src/", () => {
    const { files, folders, malformed } = names();
    assert.ok(files.length > 0, `${DOC} has no "## The layout" section with a code block of folder and file lines`);
    const named = new Set([...files, ...folders]);
    const missing = sorted([...sourceFolders(), ...sourceFiles()].filter((path) => !named.has(path)));
    assert.deepEqual(missing, [], `${DOC}'s layout has no line for: ${missing.join(", ")} (add one line each, under its folder)`);
    assert.deepEqual(malformed, [], `${DOC}'s layout has lines to fix: ${malformed.join(", ")}`);
  });

  it("names no file or folder that does not exist", () => {
    const { files, folders, quoted } = names();
    const basenames = new Set(["mod.ts", ...["src", "tests", "scripts"].flatMap(walk)].map((path) => path.slice(path.lastIndexOf("/") + 1)));
    const extra = sorted([
      ...folders.filter((path) => !isFolder(path)),
      ...files.filter((path) => !isFile(path)),
      ...quoted.flatMap((token) => missingQuoted(token, basenames) ?? []),
    ]);
    assert.deepEqual(extra, [], `${DOC} names what does not exist: ${extra.join(", ")} (rename or remove them)`);
  });
});
