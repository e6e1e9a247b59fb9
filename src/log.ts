/**
 * The levelled logger: stderr only (stdout belongs to MCP's JSON-RPC and to `--json` output), and
 * every message and value redacted before it is written, by the same rules as MCP results
 * (policy/redact.ts): Bearer tokens, `runos_pat_…` tokens, credentials inside connection strings, and
 * the values of secret-looking keys.
 */
import process from "node:process";
import { redactSensitive, redactText } from "./redact/redact.ts";

/** Log levels, quietest last. */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
/** One log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A logger; `data` is redacted and appended as JSON. */
export interface Logger {
  debug(message: string, data?: unknown): void;
  info(message: string, data?: unknown): void;
  warn(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

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

/** A value ready for a log line: Errors become their (redacted) message, everything else is redacted deeply. */
function redactForLog(value: unknown): unknown {
  return value instanceof Error ? redactText(value.message) : redactSensitive(value);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
