/**
 * What the SDK answers at the edge of the protocol, made honest: a request whose params fail the
 * SDK's own schema (`initialize {"protocolVersion": 5}`) gets -32602 "Invalid params" naming the field,
 * not -32603 with a raw schema dump; and a tool call before the handshake is refused.
 */
import { type JSONRPCMessage, ProtocolError, ProtocolErrorCode } from "@modelcontextprotocol/server";

/** The refusal of a request that needs the handshake first. */
export function notInitialized(): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.InvalidRequest, "Server not initialized: send initialize (and notifications/initialized) first");
}

/** One issue of a schema failure as the SDK dumps it. */
interface Issue {
  readonly path?: unknown;
  readonly message?: unknown;
}

/** An outgoing message with an internal error that is really a schema failure of the request, rewritten as -32602. */
export function honestError(message: JSONRPCMessage): JSONRPCMessage {
  const error = (message as { error?: { code?: unknown; message?: unknown } }).error;
  if (error === undefined || error.code !== -32603 || typeof error.message !== "string" || !error.message.trimStart().startsWith("[")) return message;
  let issues: unknown;
  try {
    issues = JSON.parse(error.message);
  } catch {
    return message;
  }
  if (!Array.isArray(issues) || issues.length === 0 || !issues.every((issue) => issue !== null && typeof issue === "object" && "message" in issue)) return message;
  const said = (issues as Issue[]).slice(0, 5).map((issue) => {
    const path = Array.isArray(issue.path) ? issue.path.map(String).join(".") : "";
    return `${path === "" ? "" : `${path}: `}${String(issue.message)}`;
  });
  return { ...message, error: { code: -32602, message: `Invalid params: ${said.join("; ")}` } } as JSONRPCMessage;
}
