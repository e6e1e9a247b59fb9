/**
 * The levelled logger: stderr only (stdout belongs to MCP's JSON-RPC and to `--json` output), and
 * every message and value redacted before it is written: Bearer tokens, `runos_pat_…` tokens,
 * credentials inside connection strings, and the values of secret-looking keys.
 */
import process from "node:process";
import type { LogLevel } from "./cli/context.ts";

/** A logger; `data` is redacted and appended as JSON. */
export interface Logger {
  debug(message: string, data?: unknown): void;
  info(message: string, data?: unknown): void;
  warn(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** The replacement written instead of a secret. */
export const REDACTED = "[redacted]";

/** Keys whose values are never logged. */
const SECRET_KEY = /pass(word|wd)?$|token|secret|api[_-]?key|authorization|credential|private[_-]?key|connection[_-]?string|^cookie$/i;

/**
 * Create a logger writing lines `runos <level>: message {data}` to stderr (or `write`, for tests) for
 * levels at or above `level`.
 */
export function createLogger(options: { level: LogLevel; write?: (line: string) => void }): Logger {
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const threshold = RANK[options.level];
  const emit = (level: Exclude<LogLevel, "silent">) => (message: string, data?: unknown) => {
    if (RANK[level] < threshold) return;
    const suffix = data === undefined ? "" : ` ${safeJson(redactForLog(data))}`;
    write(`runos ${level}: ${redactText(message)}${suffix}\n`);
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

/** Remove tokens and connection-string passwords from free text. */
export function redactText(text: string): string {
  return text
    .replace(/\b(Bearer|Basic)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`)
    .replace(/\brunos_(pat|sk|key)_[A-Za-z0-9_\-]+/g, REDACTED)
    .replace(/\b([a-z][a-z0-9+.\-]*:\/\/)([^\s:@/]+):([^\s@/]+)@/gi, `$1$2:${REDACTED}@`)
    .replace(/\b(password|passwd|pwd|token|secret|api[_-]?key)=([^\s&;"']+)/gi, `$1=${REDACTED}`);
}

/** A deep copy of `value` with secret-looking keys blanked and every string passed through {@link redactText}. */
export function redactForLog(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (depth > 20 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return redactText(value.message);
  if (Array.isArray(value)) return value.map((item) => redactForLog(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && item !== null && item !== undefined && typeof item !== "boolean"
      ? REDACTED
      : redactForLog(item, depth + 1);
  }
  return out;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
