/**
 * A stand-in for the Gemini API (`generativelanguage.googleapis.com`, as `@google/genai` calls it):
 * `POST /v1beta/models/<model>:streamGenerateContent?alt=sse` and `:generateContent` are model turns,
 * `:countTokens` is answered with a rough count, `GET /v1beta/models[/<model>]` with the model asked
 * for. Tools arrive as `functionDeclarations` (`parametersJsonSchema`, or the older `parameters`);
 * the model calls one with a `functionCall` part and its answer comes back as a `functionResponse`.
 */
import { type Exchange, type ModelScript, type ModelStandIn, type ModelTurn, type SeenRequest, type SeenTool, serveStandIn, toolBytes } from "./script.ts";

interface FunctionDeclaration {
  readonly name?: string;
  readonly description?: string;
  readonly parametersJsonSchema?: unknown;
  readonly parameters?: unknown;
}

interface Part {
  readonly text?: string;
  readonly functionCall?: { readonly name?: string; readonly args?: unknown; readonly id?: string };
  readonly functionResponse?: { readonly name?: string; readonly id?: string; readonly response?: unknown; readonly parts?: readonly Part[] };
}

interface GenerateContentBody {
  readonly contents?: readonly { readonly role?: string; readonly parts?: readonly Part[] }[];
  readonly tools?: readonly { readonly functionDeclarations?: readonly FunctionDeclaration[] }[];
}

/** The tools a request offers, flattened out of every `functionDeclarations` list. */
function seenTools(body: GenerateContentBody): SeenTool[] {
  return (body.tools ?? []).flatMap((tool) => tool.functionDeclarations ?? []).map((declaration) => {
    const name = declaration.name ?? "";
    const description = declaration.description ?? "";
    const schema = declaration.parametersJsonSchema ?? declaration.parameters;
    return { name, description, schema, bytes: toolBytes(name, description, schema) };
  });
}

/**
 * The text of one `functionResponse` as the model reads it: the response object's `output` or
 * `error` string when it is a single string (Gemini CLI's shape), else the object as JSON; text of
 * any nested parts follows.
 */
function functionResponseText(response: NonNullable<Part["functionResponse"]>): string {
  const value = response.response;
  let text: string;
  if (typeof value === "string") text = value;
  else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    text = keys.length === 1 && typeof record[keys[0]] === "string" ? record[keys[0]] as string : JSON.stringify(value);
  } else text = JSON.stringify(value ?? null);
  const nested = (response.parts ?? []).map((part) => part.text ?? "").filter((part) => part !== "");
  return [text, ...nested].join("\n");
}

/** Every tool result in the conversation, in order. */
function toolResults(body: GenerateContentBody): string[] {
  return (body.contents ?? []).flatMap((content) => content.parts ?? []).flatMap((part) =>
    part.functionResponse === undefined ? [] : [functionResponseText(part.functionResponse)]
  );
}

/** A `GenerateContentResponse` for one scripted turn; `callId` names its function call. */
function responseFor(turn: ModelTurn, callId: string): unknown {
  const part = "tool" in turn ? { functionCall: { id: callId, name: turn.tool, args: turn.arguments } } : { text: turn.text };
  return {
    candidates: [{ content: { role: "model", parts: [part] }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
    modelVersion: "stand-in",
  };
}

function writeJson(exchange: Exchange, status: number, value: unknown): void {
  exchange.response.writeHead(status, { "content-type": "application/json" });
  exchange.response.end(JSON.stringify(value));
}

/** Start a Gemini API stand-in answering model turns from `script`. */
export function startGeminiStandIn(script: ModelScript): Promise<ModelStandIn> {
  let turns = 0;
  return serveStandIn((exchange) => {
    const match = /^\/(?:v1beta|v1|v1alpha)\/models\/([^/:]+)(?::([A-Za-z]+))?$/.exec(exchange.path);
    if (match === null) {
      writeJson(exchange, 404, {
        error: { code: 404, message: `the Gemini stand-in does not serve ${exchange.method} ${exchange.path}`, status: "NOT_FOUND" },
      });
      return undefined;
    }
    const [, model, method] = match;
    if (method === undefined) {
      writeJson(exchange, 200, {
        name: `models/${model}`,
        displayName: model,
        inputTokenLimit: 1_048_576,
        outputTokenLimit: 65_536,
        supportedGenerationMethods: ["generateContent", "countTokens"],
      });
      return undefined;
    }
    const body = (exchange.body ?? {}) as GenerateContentBody;
    if (method === "countTokens") {
      writeJson(exchange, 200, { totalTokens: Math.ceil(JSON.stringify(body).length / 4) });
      return undefined;
    }
    if (method !== "streamGenerateContent" && method !== "generateContent") {
      writeJson(exchange, 404, { error: { code: 404, message: `the Gemini stand-in does not serve :${method}`, status: "NOT_FOUND" } });
      return undefined;
    }
    const seen: SeenRequest = { api: "gemini", tools: seenTools(body), toolResults: toolResults(body), raw: exchange.body };
    const answer = responseFor(script(seen, turns), `call_${turns}`);
    turns += 1;
    if (method === "generateContent") writeJson(exchange, 200, answer);
    else {
      exchange.response.writeHead(200, { "content-type": "text/event-stream" });
      exchange.response.end(`data: ${JSON.stringify(answer)}\r\n\r\n`);
    }
    return seen;
  });
}
