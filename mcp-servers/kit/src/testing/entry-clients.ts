import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { entryEnvironment } from "./entry-environment.js";
import { repositoryRoot } from "./repository-root.js";

/** A real SDK client connected over Streamable HTTP to the server at `baseUrl` (its `/mcp` endpoint). */
export async function connectHttpClient(baseUrl: string, clientName: string): Promise<Client> {
  const client = new Client({ name: clientName, version: "0.1.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`)));
  return client;
}

/** A transport that starts a stdio entry file from source as a child process when a client connects. */
export function stdioEntryTransport(entry: string, env: Record<string, string | undefined>): StdioClientTransport {
  return new StdioClientTransport({
    command: process.execPath,
    args: ["--import", "tsx", entry],
    cwd: repositoryRoot,
    env: entryEnvironment(env),
    // Piped, so that the server's log lines do not clutter the test output.
    stderr: "pipe",
  });
}
