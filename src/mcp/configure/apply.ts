/**
 * Turn a writer's plan into changes and carry them out: every file is read and every new text
 * computed before anything is written (one unparsable file stops all), then changed files are
 * replaced atomically with a `.bak` of their previous content. Unchanged files are not touched.
 */
import { readTextIfExists, writeFileAtomic } from "../../atomic_write.ts";
import type { PlannedFile } from "./writer.ts";

/** One file's outcome. */
export interface FileChange {
  readonly path: string;
  /** Current text; undefined when the file does not exist. */
  readonly before: string | undefined;
  /** New text; undefined when the file stays absent. */
  readonly after: string | undefined;
  /** True when writing is needed. */
  readonly changed: boolean;
}

/** Read each planned file and compute its new text; throws (ConfigFileError) before any write. */
export async function computeChanges(files: readonly PlannedFile[]): Promise<FileChange[]> {
  const changes: FileChange[] = [];
  const texts = new Map<string, string | undefined>();
  for (const file of files) {
    // A later plan entry for the same path sees the earlier one's result.
    const before = texts.has(file.path) ? texts.get(file.path) : await readTextIfExists(file.path);
    const after = file.update(before);
    texts.set(file.path, after ?? before);
    changes.push({ path: file.path, before, after, changed: after !== undefined && after !== before });
  }
  return changes;
}

/** Write the changed files atomically, each with a `.bak` of what it replaced. */
export async function writeChanges(changes: readonly FileChange[]): Promise<void> {
  for (const change of changes) {
    if (change.changed && change.after !== undefined) await writeFileAtomic(change.path, change.after, { backup: true });
  }
}
