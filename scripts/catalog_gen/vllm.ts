/**
 * The vLLM family as RunOS publishes it for manifest 45.6.0 (RUNOS-PUBLIC-RECORD.md addendum): PATCH
 * verbs (update, chat, restart, rename, convert-to-custom, set-api-key), POST `set-*-config` commands
 * with 26–44 fields and long descriptions, `allowEmpty` update fields, `string_array` arrays, and the
 * account-less `service-info/{type}/advanced-config-schema`. Our own text and field choices.
 */
import type { Field } from "../../src/catalog/schema.ts";
import { type CommandSpec, JOB_ID } from "./command.ts";
import { verbsOf } from "./family_verb.ts";
import { boolean, choice, integer, nameField, object, positional, sizing, storage, stringArray, text } from "./fields.ts";
import { classField, commonServiceCommands, versionField } from "./service_common.ts";
import { SERVICE_TYPES, type ServiceType } from "./service_types.ts";
import { advancedConfigsDescription } from "./vllm_engine_options.ts";

/** The vLLM service type. */
export const VLLM: ServiceType = SERVICE_TYPES.find((t) => t.type === "vllm")!;

const GPU_TYPES = ["nvidia-h100-80gb", "nvidia-a100-80gb", "nvidia-a100-40gb", "nvidia-l40s", "nvidia-a10g", "nvidia-l4", "nvidia-t4"];
const DTYPES = ["auto", "bfloat16", "float16", "float32"];
const QUANTIZATION = ["none", "awq", "gptq", "fp8", "bitsandbytes", "gguf", "compressed-tensors"];

function engineFields(options: { readonly update: boolean }): Field[] {
  const clear = options.update ? { allowEmpty: true } : {};
  return [
    text("servedModelName", "Name the OpenAI-compatible API answers to, e.g. llama-3.1-8b; the model id when absent. Clients keep working across weight changes when this stays the same.", clear),
    integer("maxModelLen", "Longest prompt plus completion in tokens. Lower it to fit a large model on a small GPU: the KV cache of one full-length sequence must fit in the memory left after the weights.", { minimum: 256, maximum: 1048576 }),
    integer("gpuMemoryUtilizationPct", "Share of GPU memory vLLM may use, in percent (10–98). The rest stays free for other processes and CUDA overhead; 90 is a good start for a dedicated GPU.", { minimum: 10, maximum: 98 }),
    integer("maxNumSeqs", "Sequences batched together per step. Lower it when the KV cache is small and requests get preempted; raise it for many short requests.", { minimum: 1, maximum: 4096 }),
    text("chatTemplate", "Jinja chat template for models whose tokenizer has none or a wrong one; inline text or a path inside the service volume.", clear),
    stringArray("extraArgs", "Additional vLLM command-line arguments, one per item, e.g. `--enable-chunked-prefill`. Prefer set-advanced-configs, which validates them.", clear),
  ];
}

function addSpec(): CommandSpec {
  return {
    command: "services/vllm/add", endpoint: "/:aid/:cid/services/vllm", method: "POST", tier: "write", returnsJob: true,
    summary: "Create a vLLM inference server for one model on GPU nodes; starts a job that pulls the weights, loads them and answers with the new service's id and the jobId.",
    blurb: VLLM.blurb, topics: ["inference", "job", "resourceClass", "affinity", "units"], length: "long",
    fields: [
      nameField("vLLM inference server"), versionField(VLLM), classField(VLLM, { withDefault: true }), ...sizing({ update: false, replicasMax: 16 }), ...storage({ update: false }),
      text("model", "Hugging Face model id or URL of the weights, e.g. meta-llama/Llama-3.1-8B-Instruct. Gated models need huggingfaceTokenSecret.", { required: true }),
      integer("gpuCount", "GPUs per replica; tensorParallelSize defaults to it.", { default: 1, minimum: 1, maximum: 8 }),
      choice("gpuType", "GPU model the replicas need; nodes are matched by their GPU shape (see `nodes configure-gpu-shape`).", GPU_TYPES, { default: "nvidia-l40s" }),
      integer("tensorParallelSize", "GPUs each layer is split across; must divide the model's attention heads.", { minimum: 1, maximum: 8 }),
      choice("dtype", "Precision of weights and activations.", DTYPES, { default: "auto" }),
      choice("quantization", "Quantization of the weights; detected from the model when none.", QUANTIZATION, { default: "none" }),
      boolean("enablePrefixCaching", "Reuse the KV cache of shared prompt prefixes across requests.", { default: true }),
      boolean("trustRemoteCode", "Allow the model repository's own Python code to run at load time.", { default: false }),
      text("huggingfaceTokenSecret", "Name of an account secret holding a Hugging Face token, for gated or private models. The token itself is never sent here."),
      boolean("routerEnabled", "Put RunOS's router in front of the replicas (session and prefix-aware routing).", { default: true }),
      ...engineFields({ update: false }).slice(0, 4),
    ],
    output: { type: "object", fields: ["id", "name", "status", "model", JOB_ID] },
  };
}

function updateSpec(): CommandSpec {
  return {
    command: "services/vllm/{id}/update", endpoint: "/:aid/:cid/services/vllm/:id", method: "PATCH", tier: "write", returnsJob: true,
    summary: "Change the version, class, sizing, placement or serving settings of a vLLM inference server; fields marked allowEmpty may be sent empty to clear them. Starts a job.",
    blurb: VLLM.blurb, topics: ["updatePartial", "inference", "job", "resourceClass"],
    fields: [positional("id", "The service id (5 characters, e.g. from the list command); the name works too."), versionField(VLLM, { withDefault: false }), classField(VLLM, { withDefault: false }), ...sizing({ update: true, replicasMax: 16 }), ...storage({ update: true }), ...engineFields({ update: true })],
    output: { type: "object", fields: ["id", "status", JOB_ID] },
  };
}

const ROUTING = ["roundrobin", "session", "prefixaware", "kvaware", "least-loaded"];

function routerFields(): Field[] {
  const seconds = (name: string, description: string, defaultValue: number, maximum: number) => integer(name, description, { default: defaultValue, minimum: 1, maximum });
  return [
    choice("routingLogic", "How the router picks a replica for each request. roundrobin spreads requests evenly and is right for stateless traffic. session keeps a client on one replica (by sessionKey) so its prefix cache stays warm. prefixaware sends requests that share a prompt prefix to the replica that already holds it. kvaware also weighs the free KV cache of each replica. least-loaded picks the replica with the fewest requests in flight.", ROUTING, { default: "roundrobin" }),
    text("sessionKey", "Request header that identifies a session when routingLogic is session, e.g. x-user-id. Requests without it fall back to roundrobin. Choose a header your clients always send; a cookie name works too with the cookie: prefix."),
    seconds("engineScrapeIntervalSeconds", "How often the router reads each replica's metrics (queue length, KV-cache usage) to inform kvaware and least-loaded routing. Shorter intervals react faster to load and cost a little CPU on every replica.", 10, 300),
    seconds("requestStatsWindowSeconds", "Window over which the router averages request latency and throughput per replica. A short window follows spikes; a long one is steadier.", 60, 3600),
    integer("maxInflightPerReplica", "Requests the router sends to one replica before it queues new ones. Keep it near maxNumSeqs of the engine; much higher values only move queueing from the router into the engine, where it is invisible.", { default: 256, minimum: 1, maximum: 8192 }),
    seconds("queueTimeoutSeconds", "How long a request may wait in the router's queue before it is answered with 503. Clients with retries prefer a short timeout; batch jobs a long one.", 30, 3600),
    integer("retryAttempts", "Times the router retries a request on another replica when a replica fails before sending the first byte. Requests that already streamed tokens are never retried.", { default: 2, minimum: 0, maximum: 10 }),
    integer("retryBackoffMs", "Pause before each retry, in milliseconds, doubled every attempt.", { default: 200, minimum: 0, maximum: 60000 }),
    seconds("healthCheckIntervalSeconds", "How often each replica's /health endpoint is probed. A replica loading its model reports unhealthy until the model answered a warm-up request.", 5, 300),
    seconds("healthCheckTimeoutSeconds", "Time a health probe may take before it counts as failed. Large models under heavy load answer slowly; do not set it below a few seconds.", 3, 60),
    integer("unhealthyThreshold", "Consecutive failed probes after which a replica stops receiving requests.", { default: 3, minimum: 1, maximum: 20 }),
    integer("healthyThreshold", "Consecutive successful probes after which a replica receives requests again.", { default: 2, minimum: 1, maximum: 20 }),
    seconds("stickyTtlSeconds", "How long the router remembers which replica served a session or a prefix. After that, the next request of the session may land anywhere.", 600, 86400),
    integer("prefixMatchMinTokens", "Shortest shared prefix, in tokens, that prefixaware routing takes into account; shorter matches are routed by load.", { default: 64, minimum: 1, maximum: 65536 }),
    integer("prefixCacheSizeMb", "Memory the router uses to index prompt prefixes, in MiB. The index holds hashes, not prompts.", { default: 256, minimum: 16, maximum: 16384 }),
    boolean("enableRequestLogging", "Log one line per request (route, replica, status, latency, token counts). Prompts and completions are never logged.", { default: false }),
    integer("logSampleRatePct", "Percentage of requests logged when enableRequestLogging is on.", { default: 100, minimum: 1, maximum: 100 }),
    stringArray("corsAllowedOrigins", "Origins allowed to call the API from a browser, e.g. `https://chat.example.com`; none when empty. `*` allows any origin and should be combined with an API key.", { allowEmpty: true }),
    integer("rateLimitRequestsPerMinute", "Requests per minute per API key; unlimited when 0.", { default: 0, minimum: 0 }),
    integer("rateLimitTokensPerMinute", "Prompt plus completion tokens per minute per API key; unlimited when 0.", { default: 0, minimum: 0 }),
    integer("maxRequestBodyKb", "Largest request body the router accepts, in KiB. Multimodal requests with inline images need more.", { default: 4096, minimum: 16, maximum: 102400 }),
    seconds("timeoutSeconds", "Longest time a request may take from start to last token before the router cancels it on the replica.", 600, 7200),
    seconds("streamIdleTimeoutSeconds", "Longest pause between two streamed chunks before the stream is closed.", 60, 3600),
    boolean("enableMetrics", "Expose router metrics for Prometheus (requests, queue, latency per replica).", { default: true }),
    text("metricsPath", "Path of the metrics endpoint.", { default: "/metrics" }),
    text("fallbackModel", "Model name requests are routed to when the requested one is unknown, e.g. the served name of this server; refused with 404 when absent."),
    object("modelAliases", "Extra model names clients may use, mapped to the served name, e.g. {\"gpt-4o-mini\": \"llama-3.1-8b\"}, so that OpenAI clients work unchanged.", { valueType: "string" }),
    integer("routerReplicas", "Replicas of the router itself.", { default: 1, minimum: 1, maximum: 8 }),
    integer("routerCpuRequestMc", "CPU reserved for each router replica, in millicores.", { default: 250, minimum: 50, maximum: 8000 }),
    integer("routerMemoryLimitMb", "Memory ceiling of each router replica, in MiB.", { default: 512, minimum: 128, maximum: 16384 }),
  ];
}

function advancedFields(): Field[] {
  return [
    integer("maxModelLen", "Longest prompt plus completion in tokens.", { minimum: 256, maximum: 1048576 }),
    integer("maxNumSeqs", "Sequences batched together per step.", { minimum: 1, maximum: 4096 }),
    integer("maxNumBatchedTokens", "Tokens processed per scheduler step across all sequences.", { minimum: 256 }),
    integer("gpuMemoryUtilizationPct", "Share of GPU memory vLLM may use, in percent.", { minimum: 10, maximum: 98 }),
    integer("swapSpaceGb", "Host memory per GPU for swapped-out KV blocks, in GiB.", { minimum: 0, maximum: 512 }),
    integer("cpuOffloadGb", "GiB of weights kept in host memory and streamed to the GPU.", { minimum: 0, maximum: 1024 }),
    choice("blockSize", "Tokens per KV-cache block.", [8, 16, 32]),
    boolean("enablePrefixCaching", "Reuse the KV cache of shared prompt prefixes."),
    boolean("enableChunkedPrefill", "Split long prompts into chunks scheduled with decode steps."),
    choice("kvCacheDtype", "Precision of the KV cache.", ["auto", "fp8", "fp8_e4m3", "fp8_e5m2"]),
    integer("tensorParallelSize", "GPUs each layer is split across.", { minimum: 1, maximum: 8 }),
    integer("pipelineParallelSize", "Pipeline stages.", { minimum: 1, maximum: 8 }),
    boolean("enforceEager", "Disable CUDA graphs."),
    choice("quantization", "Quantization of the weights.", QUANTIZATION),
    choice("dtype", "Precision of weights and activations.", DTYPES),
    integer("seed", "Random seed for sampling.", { minimum: 0 }),
    choice("tokenizerMode", "Tokenizer implementation.", ["auto", "slow", "mistral"]),
    text("revision", "Model revision to load.", { allowEmpty: true }),
    boolean("trustRemoteCode", "Allow the model's own code to run at load time."),
    choice("loadFormat", "Format of the weights.", ["auto", "safetensors", "pt", "gguf", "bitsandbytes", "tensorizer"]),
    integer("maxLogprobs", "Most log probabilities a request may ask for.", { minimum: 0, maximum: 100 }),
    text("servedModelName", "Name the API answers to.", { allowEmpty: true }),
    text("chatTemplate", "Jinja chat template, inline or a path.", { allowEmpty: true }),
    boolean("enableAutoToolChoice", "Let the model decide when to call tools."),
    choice("toolCallParser", "Parser for tool calls.", ["hermes", "mistral", "llama3_json", "granite", "internlm", "jamba", "pythonic"]),
    choice("reasoningParser", "Parser for reasoning models.", ["deepseek_r1", "qwen3", "granite"]),
    choice("schedulingPolicy", "Order requests are served in.", ["fcfs", "priority"]),
    object("advancedConfigs", advancedConfigsDescription()),
  ];
}

/** The vLLM commands that differ from the common service verbs, or that only vLLM has. */
export function vllmOwnCommands(): CommandSpec[] {
  const verb = verbsOf(VLLM);
  return [
    addSpec(),
    updateSpec(),
    verb("api-key-credentials", {
      method: "GET", tier: "sensitive_read",
      summary: "Reveal the API key clients must send to this vLLM server (Authorization: Bearer), with its base URL.",
      topics: ["credentials"],
      output: { type: "object", fields: ["baseUrl", "header", "apiKey"] },
    }),
    verb("chat", {
      method: "PATCH", tier: "write",
      summary: "Send one chat message to a vLLM server's model and return the answer; a quick check that the model is loaded and answers sensibly.",
      topics: ["inference"],
      fields: [text("message", "The user message.", { required: true }), text("system", "A system prompt."), text("model", "Served model name; the server's own when absent."), integer("maxTokens", "Stop after this many tokens.", { default: 256, minimum: 1, maximum: 32768 }), integer("temperaturePct", "Sampling temperature in hundredths (70 = 0.7).", { default: 70, minimum: 0, maximum: 200 })],
      output: { type: "object", fields: ["model", "content", "finishReason", { name: "usage", type: "object" }] },
    }),
    verb("set-api-key", {
      method: "PATCH", tier: "sensitive_write",
      summary: "Set or replace the API key of a vLLM server; a random key is generated and shown once when none is given. Clients using the old key fail at once.",
      topics: ["rotate", "credentials"],
      fields: [text("apiKey", "The new key, at least 32 characters; generated when absent.", { pattern: "^.{32,256}$" })],
      output: { type: "object", fields: ["id", "apiKey"] },
    }),
    verb("set-router-config", {
      method: "POST", tier: "write", returnsJob: true, sub: "router-config", length: "long",
      summary: "Configure the router in front of a vLLM server's replicas: routing logic, sessions, health checks, retries, limits and CORS. Only the fields given change; starts a job that rolls the router.",
      topics: ["inference", "job", "updatePartial"],
      fields: routerFields(),
      output: { type: "object", fields: ["id", { name: "routerConfig", type: "object" }, JOB_ID] },
    }),
    verb("router-config", {
      method: "GET", tier: "read",
      summary: "Show the router configuration of a vLLM server, defaults included.",
      output: { type: "object", fields: ["routingLogic", "sessionKey", "maxInflightPerReplica", "retryAttempts", { name: "settings", type: "object" }] },
    }),
    verb("set-advanced-configs", {
      method: "POST", tier: "write", returnsJob: true, sub: "advanced-configs", length: "xlong",
      summary: "Set vLLM engine settings of an inference server beyond what add and update offer: memory, batching, parallelism, quantization, tool calling and more. Starts a job that restarts the replicas one at a time.",
      topics: ["inference", "job", "restart", "updatePartial"],
      fields: advancedFields(),
      output: { type: "object", fields: ["id", { name: "advancedConfigs", type: "object" }, JOB_ID] },
    }),
    verb("models", {
      method: "GET", tier: "read",
      summary: "List the models a vLLM server serves (served names, LoRA adapters) with their context length.",
      topics: ["inference"],
      output: { type: "array", fields: ["id", "root", "maxModelLen", { name: "loaded", type: "boolean" }] },
    }),
  ];
}

/** `service-info/{type}/advanced-config-schema`: the one endpoint without an account. */
export function advancedConfigSchemaSpec(types: readonly string[]): CommandSpec {
  return {
    command: "service-info/{type}/advanced-config-schema", endpoint: "/service-info/:type/advanced-config-schema", method: "GET", tier: "read",
    summary: "Show the JSON schema of the advanced settings a service type accepts (for vLLM: the keys of set-advanced-configs), for the versions RunOS offers. Needs no account.",
    fields: [choice("type", "Service type, e.g. vllm.", types, { required: true, positional: true }), text("version", "Version of the type; the newest when absent.")],
    output: { type: "object", fields: ["type", "version", { name: "schema", type: "object" }] },
  };
}

/** Common verbs the vLLM snapshot carries unchanged. */
const FROM_COMMON = ["list", "{id}/show", "{id}/status", "{id}/logs", "{id}/delete", "{id}/credentials", "{id}/restart", "{id}/rename", "{id}/convert-to-custom", "{id}/metrics"];

/** The 20 commands of the vLLM catalog fixture, in a natural order. */
export function vllmFixtureSpecs(): CommandSpec[] {
  const common = new Map(commonServiceCommands(VLLM).map((spec) => [spec.command, spec]));
  const own = new Map(vllmOwnCommands().map((spec) => [spec.command, spec]));
  const pick = (map: Map<string, CommandSpec>, suffix: string) => {
    const found = map.get(`services/vllm/${suffix}`);
    if (found === undefined) throw new Error(`no vllm command ${suffix}`);
    return found;
  };
  const c = (suffix: string) => {
    if (!FROM_COMMON.includes(suffix)) throw new Error(`${suffix} is not taken from the common verbs`);
    return pick(common, suffix);
  };
  const o = (suffix: string) => pick(own, suffix);
  return [
    o("add"), c("list"), c("{id}/show"), c("{id}/status"), c("{id}/logs"), o("{id}/update"), c("{id}/delete"), c("{id}/credentials"),
    o("{id}/api-key-credentials"), c("{id}/restart"), c("{id}/rename"), c("{id}/convert-to-custom"), o("{id}/chat"), o("{id}/set-api-key"),
    o("{id}/set-router-config"), o("{id}/router-config"), o("{id}/set-advanced-configs"), o("{id}/models"), c("{id}/metrics"),
    advancedConfigSchemaSpec(SERVICE_TYPES.map((t) => t.type)),
  ];
}
