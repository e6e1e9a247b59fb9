/**
 * What a client's model is shown of one tool, in bytes. Claude Code (name, description, input_schema),
 * Codex (name, description, parameters; it also strips pattern, bounds and default) and Gemini CLI
 * (name, description, parametersJsonSchema) pass a tool's name, description and input schema and
 * nothing else: annotations, title, outputSchema and `_meta` stay with the client. So this, not the
 * size of `tools/list`, is what a tool costs in the model's context on every turn; tests/clients
 * measures the same in the real clients.
 */

const encoder = new TextEncoder();

/** UTF-8 bytes of a text. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/** The parts of a tool a model is shown. */
export interface ModelVisibleTool {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema: unknown;
}

/** UTF-8 bytes of the tool's name, plus its description, plus the JSON of its input schema. */
export function modelVisibleBytes(tool: ModelVisibleTool): number {
  return utf8Bytes(tool.name) + utf8Bytes(tool.description ?? "") + utf8Bytes(JSON.stringify(tool.inputSchema));
}
