/** `nodes/list` (filter by state and type) and `nodes/{id}/show`. */
import { clusterOf, type CommandHandlers } from "../context.ts";
import { notFound } from "../envelope.ts";

/** Node handlers. */
export const nodeHandlers: CommandHandlers = {
  "nodes/list": (ctx) => {
    const cluster = clusterOf(ctx);
    return ctx.state.nodes
      .filter((node) => node.clusterId === cluster.id)
      .filter((node) => ctx.input.state === undefined || node.state === ctx.input.state)
      .filter((node) => ctx.input.type === undefined || node.type === ctx.input.type)
      .map(({ id, name, type, state, ip, cpuCores, memoryMb, lastSeenAt }) => ({ id, name, type, state, ip, cpuCores, memoryMb, lastSeenAt }));
  },
  "nodes/{id}/show": (ctx) => {
    const cluster = clusterOf(ctx);
    const key = ctx.params.id ?? "";
    const node = ctx.state.nodes.find((candidate) => candidate.clusterId === cluster.id && (candidate.id === key || candidate.name === key));
    if (node === undefined) throw notFound(`node "${key}" not found in cluster ${cluster.id}`);
    const { clusterId: _cluster, ...view } = node;
    return view;
  },
};
