/**
 * Gemini CLI: `.gemini/settings.json` (or `~/.gemini/settings.json`), root `mcpServers`. The file
 * holds every Gemini setting, so only runos's entries are touched. The read server is `trust: true`
 * (its tools only read), the others `false` so Gemini confirms each call.
 */
import { joinPath } from "./locations.ts";
import { serverMapFile, type ServerMapFormat } from "./server_map.ts";
import { bearerHeader, listNames, tokenEnvNotes } from "./servers.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

/** What Gemini CLI does to every configuration, seen in the real client (0.61.0). */
const GEMINI_CAVEATS = [
  "Gemini CLI starts stdio servers only in a folder you trust (it asks once). It removes every variable whose name holds KEY, TOKEN, SECRET, … from a server's environment, " +
  "so RUNOS_API_KEY never reaches the servers: sign in with `runos login` (its stored login does), or list RUNOS_API_KEY in security.environmentVariableRedaction.allowed of your own ~/.gemini/settings.json (then every server Gemini starts sees it).",
  "`--approval-mode yolo`, and mcp.autoAllowInHeadless or a runos-write entry in mcp.allowed in your settings, let Gemini run every server's tools without asking.",
];

/** Gemini CLI's `mcpServers` entries (also Qwen Code's, a fork that reads the same settings shape). */
export const GEMINI_SETTINGS_FORMAT: ServerMapFormat = {
  mapPath: ["mcpServers"],
  comments: true,
  keepKeys: ["env"],
  // `httpUrl` is Gemini's Streamable HTTP (`url` would be SSE, so an old `url` goes).
  dropKeys: { stdio: ["httpUrl", "url", "headers", "type"], http: ["command", "args", "env", "cwd", "url", "type"] },
  mergeKeys: ["headers"],
  entry: (server) => ({
    ...(server.transport === "http"
      ? { httpUrl: server.url, headers: bearerHeader(server, "${VAR}") }
      : { command: server.command, args: [...server.args], env: {} }),
    trust: server.tier === "read",
  }),
};

/** The Gemini CLI writer. */
export const geminiWriter: ClientWriter = {
  id: "gemini",
  displayName: "Gemini CLI",
  scopes: ["project", "user"],
  plan(input: ConfigureInput): PlannedFile[] {
    const root = input.scope === "user" ? input.env.home : input.projectDir;
    return [serverMapFile(joinPath(input.env, root, ".gemini", "settings.json"), GEMINI_SETTINGS_FORMAT, input)];
  },
  notes(input: ConfigureInput): string[] {
    if (input.remove) return [];
    const others = input.servers.filter((server) => server.tier !== "read").map((server) => server.name);
    const confirms = `Gemini CLI confirms every call to ${listNames(others)}`;
    const tokens = tokenEnvNotes("Gemini CLI", input, "${VAR}");
    if (!input.servers.some((server) => server.tier === "read")) return [`${confirms}; none of them is trusted.`, ...tokens, ...GEMINI_CAVEATS];
    return [others.length === 0 ? "The read server (runos) is trusted: its tools only read." : `Only the read server (runos) is trusted; ${confirms}.`, ...tokens, ...GEMINI_CAVEATS];
  },
};
