/**
 * A stand-in for the OpenAI Responses API as OpenAI Codex calls it through a custom
 * `[model_providers.<id>]` with `wire_api = "responses"`: `POST <base_url>/responses`, streamed as
 * server-sent events (`response.created`, `response.output_item.added` / `.done`,
 * `response.completed`) or answered as one JSON response when `stream` is false, and an empty
 * `GET <base_url>/models`. Codex offers an MCP server's tools as a `namespace` tool (`mcp__<server>`)
 * holding plain `function` tools; the model calls one with a `function_call` item that names both the
 * `namespace` and the tool, and the answer comes back as a `function_call_output` input item.
 */
import type { ServerResponse } from "node:http";
import { type Exchange, type ModelScript, type ModelStandIn, type ModelTurn, type SeenRequest, type SeenTool, serveStandIn, toolBytes } from "./script.ts";

/** A tool as a Responses request carries it, as far as the stand-in reads one. */
interface WireTool {
  readonly type?: string;
  readonly name?: string;
  readonly description?: string;
  readonly parameters?: unknown;
  readonly format?: unknown;
  readonly defer_loading?: boolean;
  readonly tools?: readonly WireTool[];
}

/** A namespace of tools as offered (Codex puts each MCP server in one). */
export interface ResponsesNamespace {
  /** `mcp__runos`, `mcp__runos_write`, … */
  readonly name: string;
  /** The namespace's own description (Codex sends the MCP server's instructions here). */
  readonly description: string;
  /** Its tools, each with the keys it was sent with (`type`, `name`, `description`, `strict`, `parameters`). */
  readonly tools: readonly Readonly<Record<string, unknown>>[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Every tool list in a request: the top-level `tools`, and the `tools` of `additional_tools` input
 * items (Codex's code-mode models receive theirs there).
 */
function toolLists(body: unknown): WireTool[][] {
  if (!isRecord(body)) return [];
  const lists: WireTool[][] = [];
  if (Array.isArray(body.tools)) lists.push(body.tools as WireTool[]);
  for (const item of Array.isArray(body.input) ? body.input : []) {
    if (isRecord(item) && item.type === "additional_tools" && Array.isArray(item.tools)) lists.push(item.tools as WireTool[]);
  }
  return lists;
}

function seenTool(tool: WireTool, namespace: string | undefined): SeenTool {
  const wireName = tool.name ?? tool.type ?? "";
  const description = tool.description ?? "";
  const schema = tool.parameters ?? tool.format;
  // The model calls a namespaced tool as `<namespace>__<name>` in a script's terms; on the wire it reads the bare name.
  const name = namespace === undefined ? wireName : `${namespace}__${wireName}`;
  return { name, description, schema, bytes: toolBytes(wireName, description, schema) };
}

/**
 * The tools a request offers, namespaces flattened: a namespaced tool is named `<namespace>__<name>`
 * (`mcp__runos__clusters_list`) while its bytes count the bare name the model reads inside the
 * namespace. A tool sent with `defer_loading: true` is left out (the model does not see it yet).
 */
export function responsesTools(body: unknown): SeenTool[] {
  return toolLists(body).flat().flatMap((tool) => {
    if (tool.defer_loading === true) return [];
    if (tool.type === "namespace") return (tool.tools ?? []).filter((inner) => inner.defer_loading !== true).map((inner) => seenTool(inner, tool.name));
    return [seenTool(tool, undefined)];
  });
}

/** The namespaces a request offers, with their descriptions and their tools as sent. */
export function responsesNamespaces(body: unknown): ResponsesNamespace[] {
  return toolLists(body).flat().filter((tool) => tool.type === "namespace").map((tool) => ({
    name: tool.name ?? "",
    description: tool.description ?? "",
    tools: (tool.tools ?? []).filter(isRecord),
  }));
}

/** A tool output's text: a string, or its content items' texts joined by newlines (others as JSON). */
function outputText(output: unknown): string {
  if (typeof output === "string") return output;
  if (!Array.isArray(output)) return JSON.stringify(output ?? null);
  return output.map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : JSON.stringify(part))).join("\n");
}

/** The text of every tool output (`function_call_output`, `custom_tool_call_output`, …) in the input, in order. */
export function responsesToolResults(body: unknown): string[] {
  const input = isRecord(body) && Array.isArray(body.input) ? body.input : [];
  return input.filter((item): item is Record<string, unknown> => isRecord(item) && typeof item.type === "string" && item.type.endsWith("_call_output"))
    .map((item) => outputText(item.output));
}

/**
 * The output item for a turn. A tool named `<namespace>__<name>` that the request offered inside a
 * namespace is called with that `namespace`; an unknown one is split at its last `__` when it looks
 * like an MCP tool (Codex runs a namespaced call even when it deferred the tool), else sent as is.
 */
function outputItem(turn: ModelTurn, offered: readonly SeenTool[], namespaces: readonly ResponsesNamespace[], seq: number): Record<string, unknown> {
  if (!("tool" in turn)) {
    return { type: "message", id: `msg_standin_${seq}`, role: "assistant", status: "completed", content: [{ type: "output_text", text: turn.text, annotations: [] }] };
  }
  let namespace: string | undefined;
  let name = turn.tool;
  const known = namespaces.find((candidate) => turn.tool.startsWith(`${candidate.name}__`) && offered.some((tool) => tool.name === turn.tool));
  if (known !== undefined) {
    namespace = known.name;
    name = turn.tool.slice(known.name.length + 2);
  } else if (turn.tool.startsWith("mcp__") && turn.tool.lastIndexOf("__") > "mcp".length) {
    const cut = turn.tool.lastIndexOf("__");
    namespace = turn.tool.slice(0, cut);
    name = turn.tool.slice(cut + 2);
  }
  return {
    type: "function_call",
    id: `fc_standin_${seq}`,
    call_id: `call_standin_${seq}`,
    name,
    ...(namespace === undefined ? {} : { namespace }),
    arguments: JSON.stringify(turn.arguments),
    status: "completed",
  };
}

function usage(): Record<string, unknown> {
  return { input_tokens: 1, input_tokens_details: { cached_tokens: 0 }, output_tokens: 1, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2 };
}

function responseObject(id: string, model: string, status: string, output: readonly unknown[]): Record<string, unknown> {
  return { id, object: "response", created_at: Math.floor(Date.now() / 1000), status, model, output, usage: status === "completed" ? usage() : null };
}

function writeEvent(response: ServerResponse, type: string, data: Record<string, unknown>): void {
  response.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
}

/** One output item as the Responses event stream: created, the item added, its text, the item done, completed. */
function streamItem(response: ServerResponse, id: string, model: string, item: Record<string, unknown>): void {
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "x-request-id": `req_${id}` });
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) => writeEvent(response, type, { sequence_number: sequence++, ...data });
  event("response.created", { response: responseObject(id, model, "in_progress", []) });
  const added = item.type === "message" ? { ...item, status: "in_progress", content: [] } : { ...item, status: "in_progress", arguments: "" };
  event("response.output_item.added", { output_index: 0, item: added });
  if (item.type === "message") {
    const text = ((item.content as { text: string }[])[0]!).text;
    event("response.output_text.delta", { item_id: item.id, output_index: 0, content_index: 0, delta: text });
    event("response.output_text.done", { item_id: item.id, output_index: 0, content_index: 0, text });
  } else {
    event("response.function_call_arguments.delta", { item_id: item.id, output_index: 0, delta: item.arguments });
    event("response.function_call_arguments.done", { item_id: item.id, output_index: 0, arguments: item.arguments });
  }
  event("response.output_item.done", { output_index: 0, item });
  event("response.completed", { response: responseObject(id, model, "completed", [item]) });
  response.end();
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(value));
}

/** How the stand-in paces its answers. */
export interface ResponsesStandInOptions {
  /** Milliseconds to hold a turn before answering it (a script that waits for the client's tools to load). */
  readonly delayMs?: (turn: ModelTurn, request: SeenRequest) => number;
}

/** Start the stand-in; point the client's provider `base_url` at `${url}/v1`. */
export function startOpenAIResponsesStandIn(script: ModelScript, options: ResponsesStandInOptions = {}): Promise<ModelStandIn> {
  let answered = 0;
  return serveStandIn(async (exchange: Exchange): Promise<SeenRequest | undefined> => {
    const { method, path, body, response } = exchange;
    if (method === "GET" && path.endsWith("/models")) {
      sendJson(response, 200, { object: "list", data: [] });
      return undefined;
    }
    if (method !== "POST" || !path.endsWith("/responses")) {
      sendJson(response, 404, { error: { type: "invalid_request_error", message: `the stand-in does not serve ${method} ${path}` } });
      return undefined;
    }
    const seen: SeenRequest = { api: "openai-responses", tools: responsesTools(body), toolResults: responsesToolResults(body), raw: body };
    const turn = script(seen, answered);
    answered += 1;
    const delay = options.delayMs?.(turn, seen) ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const id = `resp_standin_${answered}`;
    const model = isRecord(body) && typeof body.model === "string" ? body.model : "stand-in";
    const item = outputItem(turn, seen.tools, responsesNamespaces(body), answered);
    if (isRecord(body) && body.stream === false) sendJson(response, 200, responseObject(id, model, "completed", [item]));
    else streamItem(response, id, model, item);
    return seen;
  });
}
