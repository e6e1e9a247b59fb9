/**
 * Big answers, cut to fit a model's context: Claude Code refuses a tool result over 25,000 tokens, and
 * every token of one is paid in every later turn. A result whose text passes {@link MAX_RESULT_CHARS}
 * (≈ 20,000 tokens) keeps as many whole items of its list as fit, and says how many were left out and
 * which arguments narrow the call; the structured value keeps its shape (a `truncated` note beside the
 * list), so it still matches the tool's output schema.
 */

/** Longest result text, in characters (about four to a token). */
export const MAX_RESULT_CHARS = 80_000;

/** What was cut, as the answer reports it. */
export interface Truncation {
  readonly shown: number;
  readonly total: number;
  readonly note: string;
}

/** `value` cut to fit `max` characters of compact JSON (as the result's text sends it), or as it was when it fits or has no list to cut. */
export function capResult(value: unknown, narrowWith: readonly string[], max = MAX_RESULT_CHARS): { value: unknown; truncation?: Truncation } {
  if (serialized(value).length <= max) return { value };
  const list = listOf(value);
  if (list === undefined) return { value };
  const total = list.items.length;
  const build = (shown: number): unknown => {
    const truncated: Truncation = {
      shown,
      total,
      note: `${total - shown} of ${total} items left out to keep this answer under ~20,000 tokens; ${
        narrowWith.length > 0 ? `narrow the call with ${narrowWith.map((name) => `\`${name}\``).join(", ")}` : "ask for a narrower result"
      }`,
    };
    return list.rebuild(list.items.slice(0, shown), truncated);
  };
  let low = 0;
  let high = total;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (serialized(build(middle)).length <= max) low = middle;
    else high = middle - 1;
  }
  const capped = build(low);
  return { value: capped, truncation: (capped as { truncated: Truncation }).truncated };
}

/** The list inside a value: the value itself, or its largest array property. */
function listOf(value: unknown): { items: readonly unknown[]; rebuild(items: unknown[], truncated: Truncation): unknown } | undefined {
  if (Array.isArray(value)) return { items: value, rebuild: (items, truncated) => ({ items, truncated }) };
  if (value === null || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  let key: string | undefined;
  for (const [name, item] of Object.entries(record)) {
    if (Array.isArray(item) && (key === undefined || item.length > (record[key] as unknown[]).length)) key = name;
  }
  if (key === undefined) return undefined;
  const name = key;
  return { items: record[name] as unknown[], rebuild: (items, truncated) => ({ ...record, [name]: items, truncated }) };
}

function serialized(value: unknown): string {
  return JSON.stringify(value) ?? "";
}
