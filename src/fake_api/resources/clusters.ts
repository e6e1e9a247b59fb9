/** `account/show`, `clusters/list` and `clusters/{cid}/show`: who the caller is and where things run. */
import { clusterOf, type CommandHandlers } from "../context.ts";
import type { Cluster } from "../state.ts";

function clusterSummary(cluster: Cluster) {
  return {
    id: cluster.id,
    name: cluster.name,
    region: cluster.region,
    status: cluster.status,
    kubernetesVersion: cluster.kubernetesVersion,
    health: { status: cluster.health.status, nodesReady: cluster.health.nodesReady, nodesTotal: cluster.health.nodesTotal },
  };
}

/** Account and cluster handlers. */
export const clusterHandlers: CommandHandlers = {
  "account/show": (ctx) => ({ ...ctx.state.account }),
  "clusters/list": (ctx) => ctx.state.clusters.map(clusterSummary),
  "clusters/{cid}/show": (ctx) => {
    const cluster = clusterOf(ctx);
    const services = ctx.state.services.filter((service) => service.clusterId === cluster.id).length;
    const apps = ctx.state.apps.filter((app) => app.clusterId === cluster.id).length;
    return { ...cluster, counts: { services, apps } };
  },
};
