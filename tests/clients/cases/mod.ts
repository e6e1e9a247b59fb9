/** Every real-client case of `make clients`, in the order the suite runs them. */
import type { ClientCase } from "../client_case.ts";
import { claudeCase } from "./claude.ts";
import { clineCase } from "./cline.ts";
import { codexCase } from "./codex.ts";
import { copilotCase } from "./copilot.ts";
import { geminiCase } from "./gemini.ts";
import { kiloCase } from "./kilo.ts";
import { opencodeCase } from "./opencode.ts";
import { qwenCase } from "./qwen.ts";

/** The cases: the three first assistants, then the others. */
export const CASES: readonly ClientCase[] = [claudeCase, codexCase, geminiCase, opencodeCase, copilotCase, kiloCase, qwenCase, clineCase];
