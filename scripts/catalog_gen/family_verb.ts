/** A compact way to write a service type's own verbs: `services/<type>/{id}/<verb>` on `…/:id/<sub>`. */
import type { Field } from "../../src/catalog/schema.ts";
import type { CommandSpec } from "./command.ts";
import { idOf } from "./fields.ts";
import { serviceBase } from "./service_common.ts";
import type { ServiceType } from "./service_types.ts";

/** A verb of one service: everything of a CommandSpec except its path, endpoint and `{id}` field. */
export type VerbSpec = Omit<CommandSpec, "command" | "endpoint" | "fields"> & {
  /** Endpoint after `…/:id/`; the verb itself when absent. */
  readonly sub?: string;
  readonly fields?: readonly Field[];
};

/** Build verbs of one type: the command is `services/<type>/{id}/<verb>`, the first field its `{id}`. */
export function verbsOf(t: ServiceType): (verb: string, spec: VerbSpec) => CommandSpec {
  const { path, endpoint } = serviceBase(t);
  return (verb, spec) => {
    const { sub, fields, ...rest } = spec;
    return {
      ...rest,
      command: `${path}/{id}/${verb}`,
      endpoint: `${endpoint}/:id/${sub ?? verb}`,
      blurb: rest.blurb ?? t.blurb,
      fields: [idOf("service"), ...(fields ?? [])],
    };
  };
}
