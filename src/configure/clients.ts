/** The one table of clients runos can configure, by command-line name. */
import { claudeWriter } from "./claude.ts";
import { claudeDesktopWriter } from "./claude_desktop.ts";
import { clineWriter } from "./cline.ts";
import { codexWriter } from "./codex.ts";
import { continueWriter } from "./continue.ts";
import { copilotWriter } from "./copilot.ts";
import { crushWriter } from "./crush.ts";
import { cursorWriter } from "./cursor.ts";
import { geminiWriter } from "./gemini.ts";
import { kiloWriter } from "./kilo.ts";
import { opencodeWriter } from "./opencode.ts";
import { qwenWriter } from "./qwen.ts";
import { rooWriter } from "./roo.ts";
import { vscodeWriter } from "./vscode.ts";
import { windsurfWriter } from "./windsurf.ts";
import type { ClientWriter } from "./writer.ts";

/** Every writer, the seed's three first. */
export const CLIENT_WRITERS: readonly ClientWriter[] = [
  claudeWriter,
  rooWriter,
  codexWriter,
  cursorWriter,
  vscodeWriter,
  geminiWriter,
  claudeDesktopWriter,
  windsurfWriter,
  opencodeWriter,
  copilotWriter,
  clineWriter,
  kiloWriter,
  qwenWriter,
  crushWriter,
  continueWriter,
];

/** The writer called `id`, or undefined. */
export function findClient(id: string): ClientWriter | undefined {
  return CLIENT_WRITERS.find((writer) => writer.id === id);
}

/** The known client name closest to `id` (edit distance), for "did you mean". */
export function nearestClient(id: string): string | undefined {
  let best: { id: string; distance: number } | undefined;
  for (const writer of CLIENT_WRITERS) {
    const distance = editDistance(id.toLowerCase(), writer.id);
    if (best === undefined || distance < best.distance) best = { id: writer.id, distance };
  }
  return best !== undefined && best.distance <= Math.max(2, Math.floor(best.id.length / 2)) ? best.id : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
