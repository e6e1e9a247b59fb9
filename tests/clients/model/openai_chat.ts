/**
 * A stand-in for the OpenAI Chat Completions API, for every client that speaks it (opencode through
 * `@ai-sdk/openai-compatible`, Qwen Code, Crush, Cline, …): `POST …/chat/completions`, streamed as
 * server-sent events when `stream: true` (with a usage chunk when `stream_options.include_usage`) and
 * as one JSON completion otherwise, and `GET …/models` listing one model. Paths are matched on their
 * ending, so a client may be given the stand-in's URL with or without `/v1`. Every completion request
 * is recorded as a {@link SeenRequest} and answered by the script; anything else gets a 404 and is not.
 */
import type { ServerResponse } from "node:http";
import { type Exchange, type ModelScript, type ModelStandIn, type ModelTurn, type SeenTool, serveStandIn, toolBytes } from "./script.ts";

/** The one model `GET /models` lists; a request may name any model, the answer is the same. */
export const OPENAI_CHAT_STAND_IN_MODEL = "stand-in";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function messages(body: unknown): Record<string, unknown>[] {
  return records(isRecord(body) ? body.messages : undefined);
}

/** The text of a message's content: a string, or the text parts of a content array joined. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  return records(content).map((part) => (typeof part.text === "string" ? part.text : "")).join("");
}

/** The function tools a request offers its model, as sent (`tools[].function`). */
export function openAIChatTools(body: unknown): SeenTool[] {
  return records(isRecord(body) ? body.tools : undefined).map((tool) => {
    const fn = isRecord(tool.function) ? tool.function : {};
    const name = typeof fn.name === "string" ? fn.name : "";
    const description = typeof fn.description === "string" ? fn.description : "";
    return { name, description, schema: fn.parameters, bytes: toolBytes(name, description, fn.parameters) };
  });
}

/** The text of every `role: "tool"` message of the conversation, in order. */
export function openAIChatToolResults(body: unknown): string[] {
  return messages(body).filter((message) => message.role === "tool").map((message) => contentText(message.content));
}

/** The names of the tools the assistant called so far in the conversation, in order. */
export function openAIChatToolCalls(body: unknown): string[] {
  return messages(body).flatMap((message) =>
    records(message.tool_calls).map((call) => (isRecord(call.function) && typeof call.function.name === "string" ? call.function.name : ""))
  );
}

/** What the model was told about its last call of `toolName`: the text of the tool message answering it. */
export function openAIChatToolResultFor(body: unknown, toolName: string): string | undefined {
  const all = messages(body);
  const ids = all.flatMap((message) =>
    records(message.tool_calls)
      .filter((call) => isRecord(call.function) && call.function.name === toolName)
      .map((call) => call.id)
  );
  const id = ids.at(-1);
  if (id === undefined) return undefined;
  const answer = all.find((message) => message.role === "tool" && message.tool_call_id === id);
  return answer === undefined ? undefined : contentText(answer.content);
}

function writeJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(value));
}

/** Write `turn` as a Chat Completions answer, streamed or not as the request asked. */
function answer(exchange: Exchange, turn: ModelTurn, count: number): void {
  const body = isRecord(exchange.body) ? exchange.body : {};
  const model = typeof body.model === "string" ? body.model : OPENAI_CHAT_STAND_IN_MODEL;
  const id = `chatcmpl-stand-in-${count}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
  const call = "tool" in turn
    ? { id: `call_stand_in_${count}`, type: "function", function: { name: turn.tool, arguments: JSON.stringify(turn.arguments) } }
    : undefined;
  const text = "text" in turn ? turn.text : "";
  const finishReason = call === undefined ? "stop" : "tool_calls";
  if (body.stream !== true) {
    const message = call === undefined ? { role: "assistant", content: text } : { role: "assistant", content: null, tool_calls: [call] };
    writeJson(exchange.response, 200, { id, object: "chat.completion", created, model, choices: [{ index: 0, message, finish_reason: finishReason }], usage });
    return;
  }
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({ id, object: "chat.completion.chunk", created, model, choices, ...extra });
  const delta = call === undefined ? { content: text } : { tool_calls: [{ index: 0, ...call }] };
  const events: unknown[] = [
    chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]),
    chunk([{ index: 0, delta, finish_reason: null }]),
    chunk([{ index: 0, delta: {}, finish_reason: finishReason }]),
  ];
  if (isRecord(body.stream_options) && body.stream_options.include_usage === true) events.push(chunk([], { usage }));
  exchange.response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  for (const event of events) exchange.response.write(`data: ${JSON.stringify(event)}\n\n`);
  exchange.response.end("data: [DONE]\n\n");
}

/** Start a Chat Completions stand-in answering from `script`. */
export function startOpenAIChatStandIn(script: ModelScript): Promise<ModelStandIn> {
  let turns = 0;
  return serveStandIn((exchange) => {
    if (exchange.method === "GET" && exchange.path.endsWith("/models")) {
      writeJson(exchange.response, 200, { object: "list", data: [{ id: OPENAI_CHAT_STAND_IN_MODEL, object: "model", created: 0, owned_by: "runos-clients" }] });
      return undefined;
    }
    if (exchange.method !== "POST" || !exchange.path.endsWith("/chat/completions")) {
      writeJson(exchange.response, 404, { error: { message: `the stand-in does not serve ${exchange.method} ${exchange.path}`, type: "not_found" } });
      return undefined;
    }
    const seen = { api: "openai-chat", tools: openAIChatTools(exchange.body), toolResults: openAIChatToolResults(exchange.body), raw: exchange.body };
    const turn = script(seen, turns);
    turns += 1;
    answer(exchange, turn, turns);
    return seen;
  });
}
