import { resolve } from "node:path";
import { z } from "zod";

const schema = z.object({
  DATA_DIR: z.string().min(1).default("./data"),
  MCP_HOST: z.string().min(1).default("127.0.0.1"),
  MCP_AUTH_TOKEN: z.string().min(1).optional(),
  MCP_ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((value) => (value ? value.split(",").map((origin) => origin.trim()).filter(Boolean) : [])),
});

export interface McpServerConfig {
  dataDir: string;
  host: string;
  port: number;
  authToken: string | undefined;
  allowedOrigins: string[];
}

/**
 * Reads a server's settings from the environment once, at start-up. `portVariable`
 * names this server's port override (e.g. `INVENTORY_MCP_PORT`).
 */
export function loadMcpServerConfig(
  portVariable: string,
  defaultPort: number,
  env: NodeJS.ProcessEnv = process.env,
): McpServerConfig {
  const parsed = schema.extend({ [portVariable]: z.coerce.number().int().min(0).max(65535).default(defaultPort) }).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const values = parsed.data as z.infer<typeof schema> & Record<string, number>;
  return {
    dataDir: resolve(values.DATA_DIR),
    host: values.MCP_HOST,
    port: values[portVariable] as number,
    authToken: values.MCP_AUTH_TOKEN,
    allowedOrigins: values.MCP_ALLOWED_ORIGINS,
  };
}
