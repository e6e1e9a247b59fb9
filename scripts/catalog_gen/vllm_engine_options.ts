/**
 * vLLM engine settings that `services/vllm/{id}/set-advanced-configs` accepts inside its
 * `advancedConfigs` object, with our own one-line explanations. Rendered into that field's
 * description, which makes it the catalog's largest (≈ 15 KB), as the largest field of RunOS's is.
 */

/** One engine setting: camelCase key, value type, default, explanation. */
export interface EngineOption {
  readonly key: string;
  readonly type: "integer" | "string" | "boolean" | "object" | "array";
  readonly defaultValue: string;
  readonly text: string;
}

/** The settings, grouped as vLLM's documentation groups them (model, cache, parallelism, scheduler, serving). */
export const ENGINE_OPTIONS: readonly EngineOption[] = [
  { key: "tokenizer", type: "string", defaultValue: "the model's", text: "Hugging Face id or path of the tokenizer when it differs from the model's own, for example a fine-tune that reuses its base model's tokenizer." },
  { key: "tokenizerMode", type: "string", defaultValue: "auto", text: "auto uses the fast tokenizer when one exists; slow forces the Python tokenizer; mistral uses mistral-common for Mistral models." },
  { key: "revision", type: "string", defaultValue: "main", text: "Branch, tag or commit of the model repository to load, so that a deployment stays on a known snapshot of the weights." },
  { key: "codeRevision", type: "string", defaultValue: "main", text: "Revision of the model's custom code when trustRemoteCode is set; pin it, because remote code runs inside the server with its permissions." },
  { key: "tokenizerRevision", type: "string", defaultValue: "main", text: "Revision of the tokenizer repository, when it is loaded from a different repository than the weights." },
  { key: "trustRemoteCode", type: "boolean", defaultValue: "false", text: "Allow the model repository to ship Python code that runs at load time. Needed by some architectures; review the code first." },
  { key: "downloadDir", type: "string", defaultValue: "the service volume", text: "Where weights are cached. RunOS mounts the service volume there so restarts do not download the model again." },
  { key: "loadFormat", type: "string", defaultValue: "auto", text: "Format of the weights: auto, safetensors, pt, npcache, dummy (random weights for load tests), tensorizer, sharded_state, gguf, bitsandbytes or runai_streamer." },
  { key: "dtype", type: "string", defaultValue: "auto", text: "Precision of weights and activations: auto follows the model's config (bfloat16 for most recent models), or half, float16, bfloat16, float32." },
  { key: "kvCacheDtype", type: "string", defaultValue: "auto", text: "Precision of the key-value cache. fp8 variants roughly double the number of tokens that fit in GPU memory at a small cost in accuracy." },
  { key: "maxModelLen", type: "integer", defaultValue: "the model's context length", text: "Longest prompt plus completion, in tokens. Lower it to fit a large model on a small GPU: the KV cache for one full-length sequence must fit in memory." },
  { key: "guidedDecodingBackend", type: "string", defaultValue: "auto", text: "Engine used for structured output (JSON schema, regular expressions, grammars): auto, xgrammar, outlines or guidance." },
  { key: "distributedExecutorBackend", type: "string", defaultValue: "mp", text: "How workers of a multi-GPU replica are started: mp (processes on one node) or ray (across nodes). RunOS sets ray only when pipelineParallelSize spans nodes." },
  { key: "pipelineParallelSize", type: "integer", defaultValue: "1", text: "Number of pipeline stages. Splits the layers across GPUs in sequence; useful when a model does not fit on the GPUs of one node." },
  { key: "tensorParallelSize", type: "integer", defaultValue: "1", text: "Number of GPUs each layer is split across. Must divide the model's attention heads; usually the number of GPUs of one node." },
  { key: "dataParallelSize", type: "integer", defaultValue: "1", text: "Independent engine copies inside one replica. RunOS prefers replicas for that; use it only for mixture-of-experts models with expert parallelism." },
  { key: "enableExpertParallel", type: "boolean", defaultValue: "false", text: "Spread the experts of a mixture-of-experts model across GPUs instead of splitting each expert." },
  { key: "maxParallelLoadingWorkers", type: "integer", defaultValue: "unlimited", text: "Load the model in batches of this many workers to avoid running out of host memory with large tensor-parallel models." },
  { key: "disableCustomAllReduce", type: "boolean", defaultValue: "false", text: "Use NCCL for all-reduce instead of vLLM's custom kernel; try it when multi-GPU replicas hang at start on unusual topologies." },
  { key: "blockSize", type: "integer", defaultValue: "16", text: "Tokens per KV-cache block. Larger blocks waste more memory on short sequences; smaller blocks cost scheduling overhead." },
  { key: "enablePrefixCaching", type: "boolean", defaultValue: "true", text: "Reuse the KV cache of shared prompt prefixes (system prompts, few-shot examples) across requests. Large speed-ups for chat workloads." },
  { key: "prefixCachingHashAlgo", type: "string", defaultValue: "builtin", text: "Hash used to identify cached prefix blocks: builtin, or sha256 when several tenants share one server and collisions must be impossible." },
  { key: "disableSlidingWindow", type: "boolean", defaultValue: "false", text: "Ignore the model's sliding-window attention and cap the context at the window size instead." },
  { key: "useV2BlockManager", type: "boolean", defaultValue: "true", text: "Kept for old configurations; newer vLLM releases always use the second block manager and ignore it." },
  { key: "numLookaheadSlots", type: "integer", defaultValue: "0", text: "Extra KV slots reserved per sequence for speculative decoding; set by speculativeConfig and rarely by hand." },
  { key: "seed", type: "integer", defaultValue: "0", text: "Random seed for sampling, so that requests with temperature above zero are reproducible across restarts." },
  { key: "swapSpace", type: "integer", defaultValue: "4", text: "Host memory per GPU, in GiB, used to swap out KV blocks of preempted sequences when preemptionMode is swap." },
  { key: "cpuOffloadGb", type: "integer", defaultValue: "0", text: "GiB of weights kept in host memory and streamed to the GPU on use. Makes larger models fit at the price of throughput; needs fast PCIe." },
  { key: "gpuMemoryUtilization", type: "string", defaultValue: "0.9", text: "Fraction of GPU memory vLLM may use for weights, activations and KV cache, as a decimal string between 0.1 and 0.98. Leave headroom when other processes share the GPU." },
  { key: "numGpuBlocksOverride", type: "integer", defaultValue: "profiled", text: "Fix the number of GPU KV blocks instead of profiling free memory at start; for reproducible benchmarks only." },
  { key: "maxNumBatchedTokens", type: "integer", defaultValue: "depends on the model", text: "Tokens processed per scheduler step across all sequences. Higher values raise throughput and latency; chunked prefill splits long prompts to stay under it." },
  { key: "maxNumPartialPrefills", type: "integer", defaultValue: "1", text: "With chunked prefill, how many prompts may be partially prefilled at once." },
  { key: "longPrefillTokenThreshold", type: "integer", defaultValue: "4% of maxModelLen", text: "A prompt longer than this counts as long and is limited by maxLongPartialPrefills, so that short requests are not starved." },
  { key: "maxNumSeqs", type: "integer", defaultValue: "256", text: "Sequences processed together in one batch. Lower it when the KV cache is small and requests get preempted often." },
  { key: "maxLogprobs", type: "integer", defaultValue: "20", text: "Largest number of log probabilities a request may ask for per token." },
  { key: "disableLogStats", type: "boolean", defaultValue: "false", text: "Stop the periodic throughput and cache-usage log lines; the Prometheus metrics stay." },
  { key: "quantization", type: "string", defaultValue: "none", text: "Quantization method of the weights: awq, gptq, gptq_marlin, fp8, bitsandbytes, gguf, compressed-tensors and others. Usually detected from the model's config." },
  { key: "ropeScaling", type: "object", defaultValue: "the model's", text: "RoPE scaling as a JSON object, e.g. {\"rope_type\":\"yarn\",\"factor\":4.0,\"original_max_position_embeddings\":32768}, to extend the context of models trained for shorter ones." },
  { key: "ropeTheta", type: "string", defaultValue: "the model's", text: "RoPE base frequency; change it only together with ropeScaling and only when the model card says so." },
  { key: "hfOverrides", type: "object", defaultValue: "{}", text: "Keys merged into the model's Hugging Face config before loading, to fix a broken config without forking the repository." },
  { key: "enforceEager", type: "boolean", defaultValue: "false", text: "Disable CUDA graphs. Saves memory and start-up time at the cost of decode speed; useful to debug start-up failures." },
  { key: "maxSeqLenToCapture", type: "integer", defaultValue: "8192", text: "Longest sequence covered by CUDA graphs; longer ones fall back to eager mode." },
  { key: "compilationConfig", type: "object", defaultValue: "{}", text: "torch.compile settings as a JSON object, such as the optimisation level and the batch sizes to capture." },
  { key: "servedModelName", type: "array", defaultValue: "the model id", text: "Names the OpenAI-compatible API answers to; the first is reported in responses. Lets clients keep a stable name while the weights change." },
  { key: "chatTemplate", type: "string", defaultValue: "the tokenizer's", text: "A Jinja chat template, inline or as a path inside the volume, for models whose tokenizer has none or a wrong one." },
  { key: "chatTemplateContentFormat", type: "string", defaultValue: "auto", text: "How message content is handed to the template: string, or openai for lists of typed parts (text, images)." },
  { key: "responseRole", type: "string", defaultValue: "assistant", text: "Role name returned in chat completions when the request asks for the generation prompt." },
  { key: "enableAutoToolChoice", type: "boolean", defaultValue: "false", text: "Let the model decide when to call tools (tool_choice auto). Needs toolCallParser." },
  { key: "toolCallParser", type: "string", defaultValue: "none", text: "Parser turning the model's output into tool calls: hermes, mistral, llama3_json, granite, internlm, jamba, pythonic and others, matching the model family." },
  { key: "reasoningParser", type: "string", defaultValue: "none", text: "Parser separating reasoning from the answer for reasoning models: deepseek_r1, qwen3, granite." },
  { key: "enableLora", type: "boolean", defaultValue: "false", text: "Serve LoRA adapters on top of the base model; adapters are listed in loraModules." },
  { key: "loraModules", type: "array", defaultValue: "[]", text: "Adapters as name=path-or-repo entries; each becomes a model name clients can call." },
  { key: "maxLoras", type: "integer", defaultValue: "1", text: "Adapters kept on the GPU at once; others are loaded on demand." },
  { key: "maxLoraRank", type: "integer", defaultValue: "16", text: "Largest LoRA rank accepted; adapters of higher rank are refused at load." },
  { key: "speculativeConfig", type: "object", defaultValue: "none", text: "Speculative decoding as a JSON object: the draft model or method (ngram, eagle, medusa) and num_speculative_tokens. Speeds up decoding when the draft is accurate." },
  { key: "schedulingPolicy", type: "string", defaultValue: "fcfs", text: "fcfs serves requests in arrival order; priority honours the priority field of requests." },
  { key: "preemptionMode", type: "string", defaultValue: "recompute", text: "What happens to a sequence preempted for lack of KV cache: recompute its cache later, or swap it to host memory." },
  { key: "limitMmPerPrompt", type: "object", defaultValue: "{\"image\":1}", text: "Largest number of images, videos or audio clips per prompt for multimodal models, as a JSON object by modality." },
  { key: "mmProcessorKwargs", type: "object", defaultValue: "{}", text: "Arguments of the multimodal processor, such as image resolution limits." },
  { key: "generationConfig", type: "string", defaultValue: "auto", text: "Where default sampling parameters come from: auto (the model's generation_config.json), vllm (vLLM's defaults) or a path." },
  { key: "overrideGenerationConfig", type: "object", defaultValue: "{}", text: "Default sampling parameters, e.g. {\"temperature\":0.6,\"top_p\":0.95}; requests may still override them." },
  { key: "enableSleepMode", type: "boolean", defaultValue: "false", text: "Allow the engine to offload its weights and free the GPU while idle; wake-up takes seconds." },
  { key: "calculateKvScales", type: "boolean", defaultValue: "false", text: "Compute fp8 KV-cache scales at run time instead of reading them from the checkpoint." },
  { key: "uvicornLogLevel", type: "string", defaultValue: "info", text: "Log level of the HTTP server: critical, error, warning, info, debug or trace." },
  { key: "disableLogRequests", type: "boolean", defaultValue: "true", text: "Do not log prompts. RunOS keeps it on: prompts may hold personal data and secrets." },
  { key: "maxLogLen", type: "integer", defaultValue: "unlimited", text: "Characters of each prompt kept in logs when request logging is enabled." },
];

/** The vLLM command-line flag of a camelCase key: `maxModelLen` → `--max-model-len`. */
function cliFlag(key: string): string {
  return `--${key.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()}`;
}

const EXAMPLES = [
  "Examples:",
  "- A 70B model on two 80 GB GPUs with a 32k context: {\"tensorParallelSize\": 2, \"maxModelLen\": 32768, \"gpuMemoryUtilization\": \"0.92\", \"enableChunkedPrefill\": true}.",
  "- Tool calling for a Llama 3.1 model: {\"enableAutoToolChoice\": true, \"toolCallParser\": \"llama3_json\"}.",
  "- A reasoning model whose thoughts clients should see separately: {\"reasoningParser\": \"deepseek_r1\", \"maxModelLen\": 65536}.",
  "- More concurrent users on a small GPU, trading context for batch size: {\"maxModelLen\": 8192, \"maxNumSeqs\": 128, \"kvCacheDtype\": \"fp8\"}.",
  "- Faster start-up while debugging a model that fails to load: {\"enforceEager\": true, \"maxModelLen\": 4096}.",
  "- Two LoRA adapters on one base model: {\"enableLora\": true, \"loraModules\": [\"support=acme/support-lora\", \"sql=acme/sql-lora\"], \"maxLoras\": 2}.",
  "Settings that change memory use (maxModelLen, maxNumSeqs, gpuMemoryUtilization, kvCacheDtype, cpuOffloadGb) are checked against the GPU memory of the service's class before the job starts; a combination that cannot fit is refused with 422 and a message naming the largest maxModelLen that would.",
].join("\n");

/** The description of the `advancedConfigs` object: an introduction and one line per setting. */
export function advancedConfigsDescription(): string {
  const intro = [
    "Engine settings passed to vLLM as command-line arguments, keyed by camelCase name (maxModelLen becomes --max-model-len). Values are validated against the schema of the running vLLM version (see `service-info vllm advanced-config-schema`); unknown keys and values of the wrong type are refused with 422 and nothing changes.",
    "Settings given here replace the ones RunOS derives from the resource class and the dedicated fields of this command; a dedicated field and the same key here may not both be set. Omit a key to go back to its default. Every change restarts the replicas one at a time, and each restart reloads the model, which can take several minutes for large models; plan changes outside busy hours.",
    "Supported keys:",
  ].join("\n\n");
  const lines = ENGINE_OPTIONS.map((option) => `- ${option.key} (${option.type}, default ${option.defaultValue}; vLLM flag ${cliFlag(option.key)}): ${option.text}`);
  return `${intro}\n${lines.join("\n")}\n\n${EXAMPLES}`;
}
