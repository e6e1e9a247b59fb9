/**
 * The generic handler: answers any catalog command the fake API does not model in depth, so that a
 * catalog like RunOS's real one (a thousand commands) can be served whole. It keeps list, show, add,
 * update, rename and delete of a collection consistent through the generic store; reveals fake secrets
 * (known to the no-secret sweeps) where a command's tags or verb say it reveals secrets; answers slow
 * writes with a job that completes on the fake API's clock; and otherwise answers `{ok: true}` with the
 * command's declared output fields filled in plausibly.
 */
import type { CallContext } from "../context.ts";
import { isoNow } from "../context.ts";
import { conflict } from "../envelope.ts";
import type { GenericItem } from "../state.ts";
import { genericItems, isDeepCollection, newGenericId, serviceTypeOf, type Subject, subjectOf, type Target, targetOf } from "./generic_target.ts";
import { type AnswerContext, outputName, plausibleRecord, revealsSecrets } from "./generic_values.ts";
import { startJob } from "./jobs.ts";

type OutputFields = NonNullable<NonNullable<CallContext["command"]["output"]>["fields"]>;

/** Rows a generic list answers for a collection the store does not hold. */
const ROWS = 2;

function outputOf(ctx: CallContext): { type: "object" | "array"; fields: OutputFields } {
  return { type: ctx.command.output?.type ?? "object", fields: ctx.command.output?.fields ?? [] };
}

function wantsJob(ctx: CallContext): boolean {
  return ctx.command.returnsJob === true || outputOf(ctx).fields.some((field) => outputName(field) === "jobId");
}

function jobType(target: Target): string {
  const kind = target.collection.startsWith("services/") ? "service" : target.collection.split("/").pop() ?? "resource";
  return `${kind.replace(/s$/, "")}.${target.verb}`;
}

/** Start a job for this call; its change (if any) is applied when it completes. */
function job(ctx: CallContext, target: Target, subject: Subject | undefined, onComplete?: () => void): string {
  return startJob(ctx.state, ctx.clock, {
    type: jobType(target),
    steps: ["validating", `${target.verb.replace(/-/g, " ")} in progress`, "waiting for readiness"],
    result: subject === undefined ? {} : { id: subject.id },
    onComplete,
  }).id;
}

/** The inputs worth remembering on an item: scalars and string lists. */
function remembered(ctx: CallContext): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(ctx.input)) {
    if (name === "name" || name === "newName") continue;
    if (["string", "number", "boolean"].includes(typeof value) || Array.isArray(value)) kept[name] = value;
  }
  return kept;
}

/** The answer with the declared fields filled in, plus `jobId` when one was started. */
function answer(ctx: CallContext, fields: OutputFields, context: Omit<AnswerContext, "ctx" | "index">, jobId?: string): Record<string, unknown> {
  const record = plausibleRecord(fields.filter((field) => outputName(field) !== "jobId"), { ctx, index: 0, ...context });
  if (Object.keys(record).length === 0 && jobId === undefined) return { ok: true };
  return jobId === undefined ? record : { ...record, jobId };
}

/** The record of a nested resource named by the call's last placeholder (`{backupId}`), if any. */
function nestedSelf(ctx: CallContext, target: Target): Subject | undefined {
  const nested = target.rest.filter((segment) => segment.startsWith("{")).pop();
  if (nested === undefined) return undefined;
  const value = ctx.params[nested.slice(1, -1)] ?? "";
  return { id: value, name: value, status: "ready" };
}

function addItem(ctx: CallContext, target: Target): unknown {
  const items = genericItems(ctx, target.collection);
  const name = typeof ctx.input.name === "string" ? ctx.input.name : `${target.collection.split("/").pop()}-${items.length + 1}`;
  if (items.some((item) => item.name === name)) throw conflict(`a ${target.collection.split("/").pop()} named "${name}" already exists`);
  const slow = wantsJob(ctx);
  const item: GenericItem = { id: newGenericId(items), name, status: slow ? "provisioning" : "running", createdAt: isoNow(ctx), fields: remembered(ctx) };
  items.push(item);
  const subject: Subject = { id: item.id, name: item.name, status: item.status, item, serviceType: serviceTypeOf(target.collection) };
  const jobId = slow ? job(ctx, target, subject, () => void (item.status = "running")) : undefined;
  return answer(ctx, outputOf(ctx).fields, { self: subject, secretBearing: revealsSecrets(ctx.command, target.verb) }, jobId);
}

function removeItem(ctx: CallContext, target: Target, subject: Subject & { item: GenericItem }): unknown {
  const items = genericItems(ctx, target.collection);
  const remove = () => {
    const at = items.indexOf(subject.item);
    if (at >= 0) items.splice(at, 1);
  };
  let jobId: string | undefined;
  if (wantsJob(ctx)) {
    subject.item.status = "deleting";
    jobId = job(ctx, target, subject, remove);
  } else remove();
  const self = { ...subject, status: subject.item.status };
  return { ...answer(ctx, outputOf(ctx).fields, { self, secretBearing: false }, jobId), ...(jobId === undefined ? { deleted: true } : {}) };
}

function changeItem(ctx: CallContext, target: Target, subject: Subject & { item: GenericItem }): unknown {
  const { item } = subject;
  const newName = typeof ctx.input.newName === "string" ? ctx.input.newName : undefined;
  if (newName !== undefined && genericItems(ctx, target.collection).some((other) => other !== item && other.name === newName)) {
    throw conflict(`a ${target.collection.split("/").pop()} named "${newName}" already exists`);
  }
  const apply = () => {
    Object.assign(item.fields, remembered(ctx));
    if (newName !== undefined) item.name = newName;
    if (item.status === "updating") item.status = "running";
  };
  let jobId: string | undefined;
  if (wantsJob(ctx)) {
    item.status = "updating";
    jobId = job(ctx, target, subject, apply);
  } else apply();
  return answer(ctx, outputOf(ctx).fields, { self: { ...subject, name: item.name, status: item.status }, secretBearing: false }, jobId);
}

function read(ctx: CallContext, target: Target, subject: Subject | undefined): unknown {
  const { type, fields } = outputOf(ctx);
  const secretBearing = revealsSecrets(ctx.command, target.verb);
  const listsCollection = subject === undefined && target.verb === "list" && !isDeepCollection(target.collection);
  if (listsCollection) {
    return genericItems(ctx, target.collection).map((item, index) =>
      plausibleRecord(fields, { ctx, index, row: true, self: { id: item.id, name: item.name, status: item.status, item, serviceType: serviceTypeOf(target.collection) }, secretBearing })
    );
  }
  if (target.verb === "exec-sql") return { columns: [{ name: "?column?", type: "int4" }], rows: [[1]], rowCount: 1, readOnly: ctx.flags.readWrite !== true };
  if (type === "array") {
    return Array.from({ length: ROWS }, (_, index) => plausibleRecord(fields, { ctx, index, row: true, parent: subject, secretBearing }));
  }
  const self = nestedSelf(ctx, target) ?? subject;
  return plausibleRecord(fields, { ctx, index: 0, self, parent: subject, secretBearing });
}

/** Answer one call of a command the fake API does not model in depth. */
export function genericHandler(ctx: CallContext): unknown {
  const target = targetOf(ctx.command.command);
  const subject = subjectOf(ctx, target);
  if (ctx.command.method === "GET" || target.verb === "exec-sql") return read(ctx, target, subject);
  const generic = !isDeepCollection(target.collection);
  const onItem = subject?.item !== undefined && target.rest.length === 1 ? subject as Subject & { item: GenericItem } : undefined;
  if (generic && subject === undefined && (target.verb === "add" || target.verb === "create")) return addItem(ctx, target);
  if (onItem !== undefined && target.verb === "delete") return removeItem(ctx, target, onItem);
  if (onItem !== undefined && (target.verb === "update" || target.verb === "rename")) return changeItem(ctx, target, onItem);
  const slow = wantsJob(ctx);
  const jobId = slow ? job(ctx, target, subject) : undefined;
  return answer(ctx, outputOf(ctx).fields, { self: nestedSelf(ctx, target) ?? subject, parent: subject, secretBearing: revealsSecrets(ctx.command, target.verb) }, jobId);
}
