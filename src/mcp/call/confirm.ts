/**
 * Confirmation of a destructive call by asking the user directly, through MCP form elicitation, when
 * the client supports it. Anything but an explicit "yes" (decline, cancel, an error, a client that
 * auto-declines as Codex does) does not run the call. An explicit "no" is final for that answer: the
 * refusal says the user declined and carries no token; a cancel, an error or no answer falls back to
 * the preview and its token, which the model must show the user and pass back (call.ts).
 * Never used to ask for a secret (the spec forbids it in form mode).
 */
import type { ClientCapabilities, ElicitRequestFormParams, ElicitResult } from "@modelcontextprotocol/server";

/** The user's answer: an explicit yes, an explicit no, or none (cancelled, failed, not asked). */
export type Answer = "yes" | "no" | "none";

/** Ask the user one yes/no question. */
export type Confirmer = (question: string) => Promise<Answer>;

/** Sends a form elicitation (the handler context's `elicitInput`). */
export type Elicit = (params: ElicitRequestFormParams, options?: { timeout?: number }) => Promise<ElicitResult>;

/** How long a person gets to answer (human-paced, far above the 60 s protocol default). */
const ANSWER_TIMEOUT_MS = 5 * 60_000;

/** Whether the client declared form elicitation (a bare `elicitation: {}` means form, per the spec). */
export function supportsFormElicitation(capabilities: ClientCapabilities | undefined): boolean {
  const elicitation = capabilities?.elicitation as Record<string, unknown> | undefined;
  if (elicitation === undefined || elicitation === null) return false;
  return elicitation.form !== undefined || elicitation.url === undefined;
}

/** A Confirmer over elicitation, or undefined when the client cannot be asked. */
export function elicitationConfirmer(capabilities: ClientCapabilities | undefined, elicit: Elicit): Confirmer | undefined {
  if (!supportsFormElicitation(capabilities)) return undefined;
  return async (question) => {
    try {
      const answer = await elicit({
        mode: "form",
        message: question,
        requestedSchema: {
          type: "object",
          properties: { confirm: { type: "boolean", title: "Yes, do it", description: "This cannot be undone." } },
          required: ["confirm"],
        },
      }, { timeout: ANSWER_TIMEOUT_MS });
      if (answer.action === "accept") return answer.content?.confirm === true ? "yes" : "no";
      return answer.action === "decline" ? "no" : "none";
    } catch {
      return "none";
    }
  };
}
