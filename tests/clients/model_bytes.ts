/**
 * Model-visible bytes per runos tool, per server: what a case reports as `modelBytesPerTool`. The
 * bytes of one tool are the stand-in's {@link SeenTool.bytes} (name + description + schema as sent).
 */
import type { SeenTool } from "./model/script.ts";
import { RUNOS_SERVERS, serverOfTool, type ToolNaming } from "./probes.ts";

/** One server's tools as a model was shown them. */
export interface ServerBytes {
  /** How many of its tools were counted. */
  readonly tools: number;
  /** Their bytes together. */
  readonly total: number;
  /** Bytes per tool, rounded. */
  readonly average: number;
}

/**
 * The runos tools among `tools` (usually `request.tools` of the first model request), grouped by
 * server through the client's `naming`, servers safest first; other tools are left out. A client that
 * shows some tools by name only can pass those as `{ name, bytes }` of what it sends for them.
 */
export function bytesPerServer(tools: readonly Pick<SeenTool, "name" | "bytes">[], naming: ToolNaming): Record<string, ServerBytes> {
  const totals = new Map<string, { tools: number; total: number }>();
  for (const tool of tools) {
    const server = serverOfTool(tool.name, naming);
    if (server === undefined) continue;
    const sum = totals.get(server) ?? { tools: 0, total: 0 };
    totals.set(server, { tools: sum.tools + 1, total: sum.total + tool.bytes });
  }
  return Object.fromEntries(
    RUNOS_SERVERS.filter((server) => totals.has(server)).map((server) => {
      const { tools: count, total } = totals.get(server)!;
      return [server, { tools: count, total, average: Math.round(total / count) }];
    }),
  );
}

/** The report's `modelBytesPerTool`: each measured server's average. */
export function averageBytes(perServer: Readonly<Record<string, ServerBytes>>): Record<string, number> {
  return Object.fromEntries(Object.entries(perServer).map(([server, bytes]) => [server, bytes.average]));
}

/** For a check's detail: `runos 228 B × 29, runos-write 450 B × 20`; `note` adds a word per server (`(29 with schema)`). */
export function formatServerBytes(perServer: Readonly<Record<string, ServerBytes>>, note?: (server: string) => string): string {
  return Object.entries(perServer).map(([server, bytes]) => `${server} ${bytes.average} B × ${bytes.tools}${note === undefined ? "" : ` ${note(server)}`}`).join(", ");
}
