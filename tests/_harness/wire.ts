/**
 * MCP messages as a client sends them, and answers made comparable: for tests that hold what runos
 * writes without the SDK (stdio and HTTP) to what the SDK's own server writes.
 */

/** A `tools/call` request; `args` and `meta` are left out when not given. */
export function toolCall(id: number | string, name: string, args?: Record<string, unknown>, meta?: Record<string, unknown>) {
  return {
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name, ...(args === undefined ? {} : { arguments: args }), ...(meta === undefined ? {} : { _meta: meta }) },
  };
}

/**
 * `text` without the parts of an answer that differ by design from one call to the next: the fence's
 * boundary, a confirm token, its expiry and a duration.
 */
export function withoutPerCallParts(text: string): string {
  return text.replace(/untrusted-data-[0-9a-f-]{36}/g, "untrusted-data-…").replace(/rc1\.[A-Za-z0-9_.-]+/g, "rc1.…")
    .replace(/"expiresAt":"[^"]+"/g, '"expiresAt":"…"').replace(/"durationMs":\d+/g, '"durationMs":…');
}
