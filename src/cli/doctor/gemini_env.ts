/**
 * Doctor's check of Gemini CLI's environment scrub: Gemini removes every variable whose name holds
 * KEY, TOKEN, SECRET, … from the environment of the servers it starts, so a sign-in given only as
 * `RUNOS_API_KEY` never reaches them (seen in the real client), unless the user's settings list it in
 * `security.environmentVariableRedaction.allowed`.
 */
import { readFileSync } from "node:fs";
import { isObject } from "../../configure/json_file.ts";
import { readJson } from "../../json_syntax.ts";
import { joinPath } from "../../configure/locations.ts";
import type { ConfigureEnv } from "../../configure/writer.ts";
import type { Check } from "./check.ts";

/** The variable Gemini strips and runos's servers would need when the sign-in comes from the environment. */
const KEY_VARIABLE = "RUNOS_API_KEY";

/** Whether a Gemini settings text allows `RUNOS_API_KEY` through to the servers. */
function allowsKey(text: string | undefined): boolean {
  if (text === undefined) return false;
  const { value } = readJson(text, { comments: true });
  const security = isObject(value) && isObject(value.security) ? value.security : undefined;
  const redaction = security !== undefined && isObject(security.environmentVariableRedaction) ? security.environmentVariableRedaction : undefined;
  return redaction !== undefined && Array.isArray(redaction.allowed) && redaction.allowed.includes(KEY_VARIABLE);
}

/**
 * A warning when Gemini CLI is configured and the sign-in comes from `RUNOS_API_KEY` alone (no stored
 * login), which Gemini will not pass on; none otherwise.
 */
export function geminiEnvCheck(options: {
  readonly configured: boolean;
  readonly tokenFromEnv: boolean;
  readonly projectSettings?: string;
  readonly env: ConfigureEnv;
}): Check[] {
  if (!options.configured || !options.tokenFromEnv) return [];
  let user: string | undefined;
  try {
    user = readFileSync(joinPath(options.env, options.env.home, ".gemini", "settings.json"), "utf8");
  } catch {
    user = undefined;
  }
  if (allowsKey(options.projectSettings) || allowsKey(user)) return [];
  return [{
    id: "client:gemini:env",
    title: "Gemini CLI: sign-in",
    status: "warn",
    summary: `you are signed in through ${KEY_VARIABLE}, which Gemini CLI removes from its servers' environment: they will answer "not authenticated"`,
    symptom: "Server Not Starting",
    fix: `runos login (its stored login reaches the servers), or add "${KEY_VARIABLE}" to security.environmentVariableRedaction.allowed in ~/.gemini/settings.json (then every server Gemini starts sees it)`,
  }];
}
