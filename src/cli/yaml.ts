/**
 * A YAML writer for `-o yaml`: JSON values (what the API answers) as block YAML, strings quoted
 * whenever a plain scalar could be read back as something else. Small on purpose: it writes the
 * subset JSON maps onto and reads nothing.
 */

/** `value` as a YAML document (ending with a newline). */
export function toYaml(value: unknown): string {
  return `${block(value, 0).join("\n")}\n`;
}

function block(value: unknown, indent: number): string[] {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item) => {
      if (isContainer(item) && !isEmpty(item)) {
        const inner = block(item, indent + 2);
        return [`${pad}- ${inner[0]!.slice(indent + 2)}`, ...inner.slice(1)];
      }
      return [`${pad}- ${scalar(item)}`];
    });
  }
  if (isRecord(value)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([key, item]) => {
      const name = `${pad}${quoteKey(key)}:`;
      if (isContainer(item) && !isEmpty(item)) return [name, ...block(item, Array.isArray(item) ? indent : indent + 2)];
      return [`${name} ${scalar(item)}`];
    });
  }
  return [`${pad}${scalar(value)}`];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isContainer(value: unknown): boolean {
  return Array.isArray(value) || isRecord(value);
}

function isEmpty(value: unknown): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value as object).length === 0;
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean" || typeof value === "number") return String(value);
  if (Array.isArray(value)) return "[]";
  if (isRecord(value)) return "{}";
  return quoteString(String(value));
}

/** Words and shapes a YAML reader would not take as the plain string they are. */
const AMBIGUOUS = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|\d{4}-\d\d-\d\d.*)$/;

/** A string as a plain scalar when that reads back the same, else double-quoted (JSON escapes are YAML escapes). */
export function quoteString(text: string): string {
  const plain = text !== "" &&
    !AMBIGUOUS.test(text) &&
    !/^[\s\-?:,\[\]{}#&*!|>'"%@`]/.test(text) &&
    !/[\s]$/.test(text) &&
    !/: |\s#/.test(text) &&
    !/:$/.test(text) &&
    // deno-lint-ignore no-control-regex
    !/[\x00-\x1f\x7f\u0085\u2028\u2029]/.test(text);
  return plain ? text : JSON.stringify(text);
}

function quoteKey(key: string): string {
  return quoteString(key);
}
