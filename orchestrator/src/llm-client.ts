import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { LlmUsage } from "./planner/planner.js";

export interface LlmSettings {
  apiKey: string;
  baseURL?: string | undefined;
  model: string;
  temperature: number;
  timeoutMs: number;
  maxRetries: number;
}

export interface JsonCompletion {
  /** Parsed JSON of `message.content`, or undefined when it was not JSON. */
  json: unknown;
  content: string;
  usage: LlmUsage;
}

/** One OpenAI-compatible endpoint, asked for JSON that follows a schema (structured output). */
export class LlmClient {
  private readonly client: OpenAI;

  constructor(readonly settings: LlmSettings) {
    this.client = new OpenAI({
      apiKey: settings.apiKey,
      baseURL: settings.baseURL,
      timeout: settings.timeoutMs,
      maxRetries: settings.maxRetries,
    });
  }

  async completeJson(messages: ChatCompletionMessageParam[], schemaName: string, schema: Record<string, unknown>): Promise<JsonCompletion> {
    const completion = await this.client.chat.completions.create({
      model: this.settings.model,
      temperature: this.settings.temperature,
      messages,
      // Not strict: free-form `parameters` objects cannot be expressed in strict mode; the
      // zod validator enforces the schema on whatever comes back.
      response_format: { type: "json_schema", json_schema: { name: schemaName, schema, strict: false } },
    });
    const content = completion.choices[0]?.message?.content ?? "";
    let json: unknown;
    try {
      json = JSON.parse(stripFences(content));
    } catch {
      json = undefined;
    }
    const usage = completion.usage;
    return {
      json,
      content,
      usage: {
        calls: 1,
        prompt_tokens: usage?.prompt_tokens ?? 0,
        completion_tokens: usage?.completion_tokens ?? 0,
        total_tokens: usage?.total_tokens ?? (usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0),
      },
    };
  }
}

// Some local servers wrap JSON in a Markdown fence even when asked for structured output.
function stripFences(text: string): string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(text);
  return fenced ? fenced[1]! : text;
}
