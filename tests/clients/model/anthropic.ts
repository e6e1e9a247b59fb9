/**
 * A stand-in for the Anthropic Messages API (what Claude Code talks to through `ANTHROPIC_BASE_URL`):
 * `POST /v1/messages`, streamed as server-sent events when `stream: true` and as one JSON message
 * otherwise, `POST /v1/messages/count_tokens`, and an empty `GET /v1/models`. Every message request is
 * recorded as a {@link SeenRequest} and answered by the script; anything else gets a 404 and is not.
 * Tool results are read as Claude Code sends them: a string, or blocks (text, and the `tool_reference`
 * blocks of its tool search, kept as JSON).
 */
import type { ServerResponse } from "node:http";
import { type Exchange, type ModelScript, type ModelStandIn, type ModelTurn, type SeenRequest, type SeenTool, serveStandIn, toolBytes } from "./script.ts";

/** A content block of a message, as far as the stand-in reads one. */
interface Block {
  readonly type?: string;
  readonly text?: string;
  readonly content?: unknown;
}

/** The model name answered when the request names none. */
const DEFAULT_MODEL = "claude-stand-in";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The names of the deferred tools a `tool_reference` block (Claude Code's tool search answer) has loaded. */
function referencedTools(body: unknown): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isRecord(value)) {
      if (value.type === "tool_reference" && typeof value.tool_name === "string") names.add(value.tool_name);
      else Object.values(value).forEach(visit);
    }
  };
  visit(isRecord(body) ? body.messages : undefined);
  return names;
}

/**
 * The tools the model sees in full, as sent. A tool sent with `defer_loading: true` (Claude Code's tool
 * search) counts only once a `tool_reference` in the conversation has loaded it, as the real API
 * expands it only then; before, the model knows at most its name.
 */
export function anthropicTools(body: unknown): SeenTool[] {
  const tools = isRecord(body) && Array.isArray(body.tools) ? body.tools : [];
  const loaded = referencedTools(body);
  return tools
    .filter((tool): tool is Record<string, unknown> => isRecord(tool) && (tool.defer_loading !== true || loaded.has(String(tool.name))))
    .map((tool) => {
      const name = typeof tool.name === "string" ? tool.name : String(tool.type ?? "");
      const description = typeof tool.description === "string" ? tool.description : "";
      const schema = tool.input_schema;
      return { name, description, schema, bytes: toolBytes(name, description, schema) };
    });
}

/** The text of one `tool_result` block: a string, or the text blocks of its content joined by newlines. */
function toolResultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((block: Block) => (block.type === "text" && typeof block.text === "string" ? block.text : JSON.stringify(block))).join("\n");
}

/** The text of every `tool_result` block in the conversation, in order. */
export function anthropicToolResults(body: unknown): string[] {
  const messages = isRecord(body) && Array.isArray(body.messages) ? body.messages : [];
  const results: string[] = [];
  for (const message of messages) {
    if (!isRecord(message) || !Array.isArray(message.content)) continue;
    for (const block of message.content as Block[]) {
      if (isRecord(block) && block.type === "tool_result") results.push(toolResultText(block.content));
    }
  }
  return results;
}

function contentBlocks(body: unknown): Record<string, unknown>[] {
  const messages = isRecord(body) && Array.isArray(body.messages) ? body.messages : [];
  return messages.flatMap((message) => (isRecord(message) && Array.isArray(message.content) ? message.content : [])).filter(isRecord);
}

/** The names of the tools the model has called so far in the conversation, in order. */
export function anthropicToolCalls(body: unknown): string[] {
  return contentBlocks(body).filter((block) => block.type === "tool_use" && typeof block.name === "string").map((block) => String(block.name));
}

/** What the model was told about one of its tool calls. */
export interface AnthropicToolOutcome {
  readonly text: string;
  readonly isError: boolean;
}

/** The result the client sent back for the model's first call of `toolName`, if it has sent one yet. */
export function anthropicToolResultFor(body: unknown, toolName: string): AnthropicToolOutcome | undefined {
  const blocks = contentBlocks(body);
  const call = blocks.find((block) => block.type === "tool_use" && block.name === toolName);
  if (call === undefined) return undefined;
  const result = blocks.find((block) => block.type === "tool_result" && block.tool_use_id === call.id);
  return result === undefined ? undefined : { text: toolResultText(result.content), isError: result.is_error === true };
}

/** The content blocks of the scripted turn, each with a fresh tool-use id. */
function turnContent(turn: ModelTurn, seq: number): Record<string, unknown>[] {
  if ("tool" in turn) return [{ type: "tool_use", id: `toolu_standin_${seq}`, name: turn.tool, input: turn.arguments }];
  return [{ type: "text", text: turn.text }];
}

function usage(): Record<string, number> {
  return { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

function writeEvent(response: ServerResponse, type: string, data: Record<string, unknown>): void {
  response.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
}

/** The turn as the Messages API's event stream: message_start, one block, message_delta, message_stop. */
function streamTurn(response: ServerResponse, model: string, turn: ModelTurn, seq: number): void {
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "request-id": `req_standin_${seq}` });
  const stopReason = "tool" in turn ? "tool_use" : "end_turn";
  writeEvent(response, "message_start", {
    message: { id: `msg_standin_${seq}`, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: usage() },
  });
  const [block] = turnContent(turn, seq);
  if ("tool" in turn) {
    writeEvent(response, "content_block_start", { index: 0, content_block: { ...block, input: {} } });
    writeEvent(response, "content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json: JSON.stringify(turn.arguments) } });
  } else {
    writeEvent(response, "content_block_start", { index: 0, content_block: { type: "text", text: "" } });
    writeEvent(response, "content_block_delta", { index: 0, delta: { type: "text_delta", text: turn.text } });
  }
  writeEvent(response, "content_block_stop", { index: 0 });
  writeEvent(response, "message_delta", { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 1 } });
  writeEvent(response, "message_stop", {});
  response.end();
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(value));
}

/** Start the stand-in; point Claude Code at its `url` with `ANTHROPIC_BASE_URL`. */
export function startAnthropicStandIn(script: ModelScript): Promise<ModelStandIn> {
  let answered = 0;
  return serveStandIn((exchange: Exchange): SeenRequest | undefined => {
    const { method, path, body, response } = exchange;
    if (method === "POST" && path === "/v1/messages/count_tokens") {
      sendJson(response, 200, { input_tokens: 1 });
      return undefined;
    }
    if (method === "GET" && path === "/v1/models") {
      sendJson(response, 200, { data: [], has_more: false, first_id: null, last_id: null });
      return undefined;
    }
    if (method !== "POST" || path !== "/v1/messages") {
      sendJson(response, 404, { type: "error", error: { type: "not_found_error", message: `the stand-in does not serve ${method} ${path}` } });
      return undefined;
    }
    const seen: SeenRequest = { api: "anthropic", tools: anthropicTools(body), toolResults: anthropicToolResults(body), raw: body };
    const turn = script(seen, answered);
    answered += 1;
    const model = isRecord(body) && typeof body.model === "string" ? body.model : DEFAULT_MODEL;
    if (isRecord(body) && body.stream === true) {
      streamTurn(response, model, turn, answered);
    } else {
      const stopReason = "tool" in turn ? "tool_use" : "end_turn";
      sendJson(response, 200, {
        id: `msg_standin_${answered}`,
        type: "message",
        role: "assistant",
        model,
        content: turnContent(turn, answered),
        stop_reason: stopReason,
        stop_sequence: null,
        usage: usage(),
      });
    }
    return seen;
  });
}
