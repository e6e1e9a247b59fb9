/**
 * A request as a face would build it: plan the call (policy/call_plan.ts), then map the plan
 * (api/request.ts). Tests of request shapes and of argument checks go through here.
 */
import type { ApiRequest } from "../../src/api/client.ts";
import { buildRequest } from "../../src/api/request.ts";
import type { ArgumentLabel } from "../../src/catalog/arguments.ts";
import type { Operation } from "../../src/catalog/operation.ts";
import { type Allowed, CLI_ALLOWED, type Face, planCall } from "../../src/policy/call_plan.ts";

/** Who the request is for, and how the call is made (default: a model's call, allowed). */
export interface RequestFor {
  readonly accountId: string;
  readonly clusterId?: string;
  readonly face?: Face;
  readonly label?: ArgumentLabel;
  readonly usageHint?: string;
  readonly decision?: Allowed;
}

/** Plan and build one call; throws the plan's UsageError for bad arguments. */
export function requestFor(operation: Operation, args: Record<string, unknown>, ctx: RequestFor): ApiRequest {
  const plan = planCall(operation, ctx.decision ?? CLI_ALLOWED, args, {
    face: ctx.face ?? "mcp",
    ...(ctx.clusterId === undefined ? {} : { defaultClusterId: ctx.clusterId }),
    ...(ctx.label === undefined ? {} : { label: ctx.label }),
    ...(ctx.usageHint === undefined ? {} : { usageHint: ctx.usageHint }),
  });
  return buildRequest(plan, { accountId: ctx.accountId });
}
