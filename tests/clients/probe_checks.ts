/**
 * The checks every case makes of its probes, judged from the audit log (what ran) and from what its
 * model was shown (what the client told it), and the wording their details share: quoted excerpts, and
 * how a tool's answer reached the model.
 */
import type { CaseCheck } from "./client_case.ts";
import { type AuditEntry, auditNote, describeEntries, entriesOn, ranOk } from "./probe_audit.ts";
import { CLUSTER_NAMES, HOSTILE, HOSTILE_TEXT, PREVIEW, type ProbeCall, READ, VALKEY } from "./probes.ts";

/** For a check's detail: `text` quoted as JSON (newlines escaped), cut to `max` characters with `…`; `(none)` when there is none. */
export function excerpt(text: string | undefined, max = 240): string {
  if (text === undefined) return "(none)";
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** The fixture clusters a tool result names: READ's answer reached the model when there is at least one. */
export function clusterNamesIn(text: string): string[] {
  return CLUSTER_NAMES.filter((name) => text.includes(`"${name}"`));
}

/**
 * How a tool's answer reached the model, for a check's detail: inside runos's untrusted-data fence or
 * not, as compact or pretty-printed JSON or text, and, unfenced compact JSON of an object, that the
 * client sent `JSON.stringify(structuredContent)` instead of the text block; then its start. Give it
 * the tool result with the client's own framing removed (Codex's `Wall time: …` header); a wrapper
 * around the fence (Gemini's `<untrusted_context>`) may stay.
 */
export function describeAnswer(text: string): string {
  const fence = /<(untrusted-data-[^>]+)>\n?([\s\S]*?)\n?<\/\1>/.exec(text);
  const body = (fence?.[2] ?? text).trim();
  let shape = "text";
  try {
    const parsed = JSON.parse(body) as unknown;
    const compact = body === JSON.stringify(parsed);
    shape = compact ? "compact JSON" : "pretty-printed JSON";
    if (fence === null && compact && typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      shape += ` (JSON.stringify of structuredContent: the text block was dropped; first member ${JSON.stringify(Object.keys(parsed)[0])})`;
    }
  } catch {
    // Not JSON: described as text.
  }
  return `${fence === null ? "without" : "inside"} the untrusted-data fence, as ${shape}: ${excerpt(text, 160)}`;
}

/**
 * READ ran unasked and its answer reached the model: an ok audit entry from runos, and a tool result
 * naming a fixture cluster. `answer` is the tool result the model was shown (undefined when none, or
 * when the client marked it an error); `otherwise` says what the model saw instead, for the detail.
 */
export function readCheck(name: string, audit: readonly AuditEntry[], answer: string | undefined, otherwise: string): CaseCheck {
  const ran = ranOk(audit, READ) !== undefined;
  const reached = answer !== undefined && clusterNamesIn(answer).length > 0;
  return {
    name,
    ok: ran && reached,
    detail: `${auditNote(audit, READ)}; ${reached ? `the model got it ${describeAnswer(answer)}` : otherwise}`,
  };
}

/** The name every case gives its {@link previewCheck}. */
export const PREVIEW_NAME = "the preview of a destructive call (preview_destructive on runos) runs unasked and its token reaches the model";

/** A confirmation token as runos issues it. */
const TOKEN = /rc1\.[0-9a-z]+\.[\w-]{16}\.[\w-]+/;

/** PREVIEW ran unasked, and the model got the preview (the cache's name) with its token. */
export function previewCheck(name: string, audit: readonly AuditEntry[], answer: string | undefined, otherwise: string): CaseCheck {
  const ran = ranOk(audit, PREVIEW) !== undefined;
  const token = answer === undefined ? undefined : TOKEN.exec(answer)?.[0];
  const named = answer !== undefined && answer.includes(VALKEY.name);
  const seen = answer === undefined ? otherwise : `the model got ${named ? "the preview naming " + VALKEY.name : "an answer not naming " + VALKEY.name}${token === undefined ? " and NO token" : " and its token"}: ${excerpt(answer, 200)}`;
  return { name, ok: ran && token !== undefined && named, detail: `${auditNote(audit, PREVIEW)}; ${seen}` };
}

/** The name every case gives its {@link hostileCheck}. */
export const HOSTILE_NAME = `a hostile SQL row ("${HOSTILE_TEXT}…", services_postgresql_exec-sql on runos) reaches the model inside the untrusted-data fence`;

/**
 * HOSTILE ran unasked and its prompt injection reached the model marked as data: inside runos's
 * untrusted-data fence (the fence may sit inside a client's own framing, escaped in a JSON string, as
 * Cline forwards the whole result). `answer` is the tool result the model was shown.
 */
export function hostileCheck(name: string, audit: readonly AuditEntry[], answer: string | undefined, otherwise: string): CaseCheck {
  const ran = ranOk(audit, HOSTILE) !== undefined;
  const at = answer?.indexOf(HOSTILE_TEXT) ?? -1;
  const fenced = answer !== undefined && at >= 0 &&
    [...answer.matchAll(/<(untrusted-data-[0-9a-f-]+)>[\s\S]*?<\/\1>/g)].some((match) => match.index! < at && at < match.index! + match[0].length);
  const where = answer === undefined || at < 0 ? otherwise : fenced ? `the model got the row inside the untrusted-data fence: ${excerpt(answer, 200)}` : `the row reached the model UNMARKED: ${excerpt(answer, 200)}`;
  return { name, ok: ran && fenced, detail: `${auditNote(audit, HOSTILE)}; ${where}` };
}

/**
 * A probe whose call must not run (WRITE, DESTROY, REVEAL under the defaults): no audit entry from its
 * server at all. `told` says what the model was told instead. `reachable` is false when the model could
 * not really make the call (the client never offered the tool, or the run ended before a tool result):
 * then nothing ran because nothing was tried, and the check fails.
 */
export function heldCheck(name: string, audit: readonly AuditEntry[], call: ProbeCall, told: string, reachable = true): CaseCheck {
  const ran = entriesOn(audit, call.server);
  return {
    name,
    ok: ran.length === 0 && reachable,
    detail: `${ran.length === 0 ? `no audit entry from ${call.server}` : `it ran: ${describeEntries(ran)}`}; ${told}`,
  };
}

/** A probe whose call must run (a control, or an opt-in mode such as a bypass): an ok audit entry for it; `told` as for {@link heldCheck}. */
export function ranCheck(name: string, audit: readonly AuditEntry[], call: ProbeCall, told: string): CaseCheck {
  return { name, ok: ranOk(audit, call) !== undefined, detail: `${auditNote(audit, call)}; ${told}` };
}

/** A check that could not be judged because its run threw: a case catches per probe and goes on with the next. */
export function failedCheck(name: string, error: unknown): CaseCheck {
  return { name, ok: false, detail: `the run failed: ${error instanceof Error ? error.message : String(error)}` };
}

/**
 * A case's checks, in the order it makes them. A case makes one per probe with {@link CaseChecks.attempt}
 * (a run that throws becomes a failed check and the case goes on), pushes others to `list`, and returns
 * `list` as its report's `checks`.
 */
export class CaseChecks {
  readonly list: CaseCheck[] = [];

  /** Run one probe and judge it into a check named `name`; the run's result, for later checks, or undefined when it threw. */
  async attempt<T>(name: string, run: () => Promise<T>, judge: (result: T) => CaseCheck): Promise<T | undefined> {
    try {
      const result = await run();
      this.list.push(judge(result));
      return result;
    } catch (error) {
      this.list.push(failedCheck(name, error));
      return undefined;
    }
  }

  /** Whether every check of these names was made and passed: for the report's `runsUnasked`. */
  passed(...names: string[]): boolean {
    return names.every((name) => this.list.some((check) => check.name === name && check.ok));
  }
}
