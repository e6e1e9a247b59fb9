/**
 * The core of every scripted model stand-in: a loopback HTTP server that records each request a real
 * client sends to its model API (the tools it offers, the tool results it passes back) and answers
 * from a script, one turn at a time. Each API's adapter (`anthropic.ts`, `openai_chat.ts`, …) only
 * translates between its wire format and {@link SeenRequest} / {@link ModelTurn}.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the scripted model answers on one turn: call a tool, or say something and stop. */
export type ModelTurn =
  | { readonly tool: string; readonly arguments: Readonly<Record<string, unknown>> }
  | { readonly text: string };

/** One tool as the client offers it to its model. */
export interface SeenTool {
  /** The name the model would call it by (`runos_clusters_list`, `mcp__runos__clusters_list`, …). */
  readonly name: string;
  readonly description: string;
  /** The input schema exactly as sent. */
  readonly schema: unknown;
  /** Bytes of what the model receives for this tool: UTF-8 of name + description + JSON of the schema. */
  readonly bytes: number;
}

/** One request the client sent to its model, as the script sees it. */
export interface SeenRequest {
  /** Which API adapter received it (`anthropic`, `openai-chat`, `openai-responses`, `gemini`). */
  readonly api: string;
  /** The tools offered on this request. */
  readonly tools: readonly SeenTool[];
  /** The text of every tool result in the conversation so far, in order (what the model was shown). */
  readonly toolResults: readonly string[];
  /** The request body as received. */
  readonly raw: unknown;
}

/** Decides the model's next turn from what the client sent; `turn` counts the requests answered so far. */
export type ModelScript = (request: SeenRequest, turn: number) => ModelTurn;

/** A running stand-in. */
export interface ModelStandIn {
  /** Base URL to point the client at (no trailing slash), e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  /** Every request that reached the model, in order (clients' side requests such as titles included). */
  readonly requests: readonly SeenRequest[];
  close(): Promise<void>;
}

/** One HTTP exchange an adapter answers: the parsed JSON body, the path, and the response to write. */
export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
}

/** The bytes a model receives for a tool: name + description + its schema as JSON. */
export function toolBytes(name: string, description: string, schema: unknown): number {
  return Buffer.byteLength(name) + Buffer.byteLength(description) + Buffer.byteLength(schema === undefined ? "" : JSON.stringify(schema));
}

/**
 * Serve `handle` on a loopback port. `handle` returns the {@link SeenRequest} it recorded (or undefined
 * for a request that is not a model turn, e.g. a model list) after writing the response.
 */
export async function serveStandIn(handle: (exchange: Exchange) => Promise<SeenRequest | undefined> | SeenRequest | undefined): Promise<ModelStandIn> {
  const requests: SeenRequest[] = [];
  const server = createServer(async (request, response) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = undefined;
      if (text !== "") {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const url = new URL(request.url ?? "/", "http://stand-in");
      const seen = await handle({ method: request.method ?? "GET", path: url.pathname, body, request, response });
      if (seen !== undefined) requests.push(seen);
    } catch (error) {
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { message: error instanceof Error ? error.message : String(error) } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
