/**
 * What becomes of one line of stdin before the MCP SDK's stdio transport reads it. The SDK drops a
 * line that is not JSON without a word, and answers JSON that is not a JSON-RPC message with a null
 * id, so each such line is answered here instead: -32700 for text that is not JSON (or not UTF-8:
 * then under the id its start holds), -32600 (with the message's id when it has one) for anything
 * else that is not a JSON-RPC message, and -32600 under its leading id for a line over the cap
 * (lines.ts). Only the content of a valid message reaches the SDK (its byte-order mark off, which the
 * SDK's parser would choke on).
 *
 * The handshake (handshake.ts) answers a line over the cap with the same {@link oversizedReply}, and
 * hands every other line it does not answer to the screen, so a line is answered the same way before
 * the handover as after it. No package is imported here, so the handshake may use it: the SDK's
 * check of a JSON-RPC message comes in as `isMessage` (sdk_stdio.ts).
 */
import type { Buffer } from "node:buffer";
import { isBlank, LEADING_BYTES, type Line, lineText } from "./lines.ts";

/** The JSON-RPC error answer to a line that holds no message the server can take. */
export interface LineErrorReply {
  readonly jsonrpc: "2.0";
  readonly id: string | number | null;
  readonly error: { readonly code: -32700 | -32600; readonly message: string };
}

/** What the screen makes of one line: a message for the SDK, an error to answer, or nothing (a blank line). */
export type Screened<M> =
  | { readonly kind: "pass"; readonly message: M; readonly bytes: Buffer }
  | { readonly kind: "answer"; readonly reply: LineErrorReply }
  | { readonly kind: "skip" };

/** Screen one line: pass a JSON-RPC message (as `isMessage` knows one) on, answer anything else. */
export function screenLine<M>(line: Line, isMessage: (value: unknown) => value is M): Screened<M> {
  if (line.kind === "oversized") return { kind: "answer", reply: oversizedReply(line) };
  const text = lineText(line.bytes);
  if (text === undefined) return { kind: "answer", reply: unreadableReply(-32700, leadingId(line.bytes)) };
  if (isBlank(text)) return { kind: "skip" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "answer", reply: unreadableReply(-32700) };
  }
  return isMessage(value) ? { kind: "pass", message: value, bytes: line.bytes } : { kind: "answer", reply: unreadableReply(-32600, idOf(value)) };
}

/** The answer to a line over the cap, under the id found at its start: the same before the handover and after. */
export function oversizedReply(line: Extract<Line, { kind: "oversized" }>): LineErrorReply {
  return { jsonrpc: "2.0", id: leadingId(line.start), error: { code: -32600, message: `Invalid Request: message larger than ${line.limit} bytes` } };
}

/** A JSON-RPC error answer for a message that could not be read, with its id when it had one. */
function unreadableReply(code: -32700 | -32600, id: string | number | null = null): LineErrorReply {
  return { jsonrpc: "2.0", id, error: { code, message: code === -32700 ? "Parse error" : "Invalid Request" } };
}

/** The id of a message the SDK cannot take, when it has a usable one, so its sender is not left waiting. */
function idOf(value: unknown): string | number | null {
  const id = value !== null && typeof value === "object" ? (value as { id?: unknown }).id : undefined;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

/**
 * The top-level `"id"` of a line that cannot be parsed whole (too long, or not UTF-8 somewhere inside
 * a string), read from its start: a client sends the id first as a rule, and an answer under its id is
 * one the client can match. Only the first {@link LEADING_BYTES} are searched. Null when they hold no
 * complete top-level id.
 */
export function leadingId(bytes: Uint8Array): string | number | null {
  const text = new TextDecoder("utf-8").decode(bytes.subarray(0, LEADING_BYTES));
  let depth = 0;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (char === "{" || char === "[") depth++;
    else if (char === "}" || char === "]") depth--;
    else if (char === '"') {
      const end = stringEnd(text, at);
      if (end < 0) return null;
      if (depth === 1 && text.slice(at, end + 1) === '"id"') {
        const value = /^\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)(?=\s*[,}])/.exec(text.slice(end + 1));
        if (value !== null) {
          try {
            return JSON.parse(value[1]!) as string | number;
          } catch {
            return null;
          }
        }
      }
      at = end;
    }
  }
  return null;
}

/** The index of the quote closing the string that opens at `start`, or -1 when it does not close. */
function stringEnd(text: string, start: number): number {
  for (let at = start + 1; at < text.length; at++) {
    if (text[at] === "\\") at++;
    else if (text[at] === '"') return at;
  }
  return -1;
}
