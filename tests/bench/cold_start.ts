/**
 * One cold start, measured as a client meets it: spawn, `initialize` answered, `tools/list` answered
 * (each request sent once the previous answer arrived); then the peak RSS; then stdin closed.
 */
import { type ChildCommand, JsonRpcChild } from "./json_rpc_child.ts";

/** The bench's `initialize` parameters. */
export const INITIALIZE = { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "runos-bench", version: "0.0.0" } };

/** One cold start's figures. */
export interface Start {
  readonly ms: number;
  readonly rssKiB?: number;
  readonly tools: number;
  readonly bytes: number;
}

/** Spawn → initialize → tools/list answered; then the peak RSS; then stdin closed and the exit awaited. */
export async function coldStart(command: ChildCommand): Promise<Start> {
  const started = performance.now();
  const child = new JsonRpcChild(command);
  try {
    const hello = await child.request("initialize", INITIALIZE);
    if (hello.message.error !== undefined) throw new Error(`initialize failed: ${hello.message.error.message}`);
    child.notify("notifications/initialized");
    const list = await child.request("tools/list");
    const ms = performance.now() - started;
    const rssKiB = child.peakRssKiB();
    const tools = (list.message.result as { tools?: unknown[] } | undefined)?.tools;
    if (!Array.isArray(tools)) throw new Error(`tools/list failed: ${JSON.stringify(list.message).slice(0, 300)}`);
    return { ms, tools: tools.length, bytes: list.bytes, ...(rssKiB === undefined ? {} : { rssKiB }) };
  } finally {
    await child.close();
  }
}
