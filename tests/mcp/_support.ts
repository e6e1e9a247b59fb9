/**
 * Shared pieces of the MCP tests: the baseline operations, a recording stub ApiClient, and a tier
 * server connected to an SDK Client over an InMemoryTransport pair.
 */
import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport } from "@modelcontextprotocol/server";
import type { ApiClient, ApiRequest } from "../../src/api/client.ts";
import { baselineCatalog } from "../../src/catalog/load.ts";
import { buildOperations, type Operation } from "../../src/catalog/operation.ts";
import type { Tier } from "../../src/policy/tier.ts";
import { createTierServer, type TierServer, type TierServerDeps } from "../../src/mcp/host/sdk_server.ts";

/** The operations of the embedded baseline catalog. */
export function baselineOperations(): Operation[] {
  return buildOperations(baselineCatalog());
}

/** A stub ApiClient answering with `respond` and recording every request it was sent. */
export interface StubApi extends ApiClient {
  readonly requests: ApiRequest[];
}

/** Build a {@link StubApi}. */
export function stubApi(respond: (request: ApiRequest) => unknown = () => ({})): StubApi {
  const requests: ApiRequest[] = [];
  return {
    requests,
    send(request) {
      requests.push(request);
      try {
        return Promise.resolve(respond(request));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

/** A connected server/client pair. */
export interface Connected {
  readonly tierServer: TierServer;
  readonly client: Client;
  close(): Promise<void>;
}

/** Build the tier's server from `deps` and connect an SDK client to it in memory. */
export async function connect(
  tier: Tier,
  deps: Partial<TierServerDeps> & Pick<TierServerDeps, "session">,
  clientCapabilities: Record<string, unknown> = {},
): Promise<Connected> {
  const tierServer = await createTierServer(tier, { operations: baselineOperations(), catalogVersion: baselineCatalog().version, watchIntervalMs: 0, ...deps });
  const client = new Client({ name: "runos-test", version: "0.0.0" }, { capabilities: clientCapabilities });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await tierServer.server.connect(serverTransport);
  await client.connect(clientTransport);
  return {
    tierServer,
    client,
    close: async () => {
      await client.close();
      await tierServer.close();
    },
  };
}

/** The session of a signed-in user of account `acme`. */
export function signedIn(client: ApiClient, defaultClusterId?: string) {
  return { authenticated: true, accountId: "acme", client, ...(defaultClusterId === undefined ? {} : { defaultClusterId }) };
}

/** The text of a tool result. */
export function textOf(result: { content: unknown }): string {
  return (result.content as { type: string; text?: string }[]).map((block) => block.text ?? "").join("\n");
}
