import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";

export interface McpHttpOptions {
  name: string;
  version: string;
  /** Builds a fresh server for each request: stateless mode must not share one across clients. */
  createServer: () => McpServer;
  /** When set, requests need `Authorization: Bearer <token>`. */
  authToken?: string | undefined;
  /** Origins allowed besides loopback ones (browsers send Origin; MCP Inspector runs on localhost). */
  allowedOrigins?: readonly string[];
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function isAllowedOrigin(origin: string, allowed: readonly string[]): boolean {
  if (allowed.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && LOOPBACK_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status });
}

/** The Hono app that serves one MCP server at `/mcp` (Streamable HTTP, stateless) and `/health`. */
export function createMcpHttpApp(options: McpHttpOptions): Hono {
  const app = new Hono();
  const startedAt = Date.now();
  const allowed = options.allowedOrigins ?? [];

  app.get("/health", (c) =>
    c.json({ status: "ok", server: options.name, version: options.version, uptime_seconds: (Date.now() - startedAt) / 1000 }),
  );

  app.use("/mcp", async (c, next) => {
    // DNS-rebinding protection: a page on a foreign origin must not drive local tools.
    const origin = c.req.header("origin");
    if (origin !== undefined && !isAllowedOrigin(origin, allowed)) {
      return jsonRpcError(403, -32000, `Forbidden: origin ${origin} is not allowed`);
    }
    if (options.authToken !== undefined) {
      const auth = c.req.header("authorization");
      if (auth !== `Bearer ${options.authToken}`) {
        return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code: -32001, message: "Unauthorized: a valid bearer token is required" }, id: null }), {
          status: 401,
          headers: { "content-type": "application/json", "www-authenticate": 'Bearer realm="mcp"' },
        });
      }
    }
    return next();
  });

  app.post("/mcp", async (c) => {
    const server = options.createServer();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      // JSON response mode has finished the exchange by now; free the per-request pair.
      void transport.close().then(() => server.close());
    }
  });

  // Stateless servers offer no standalone SSE stream and no sessions to delete.
  app.on(["GET", "DELETE"], "/mcp", () =>
    jsonRpcError(405, -32000, "Method not allowed: this server is stateless; POST JSON-RPC messages to /mcp"),
  );

  return app;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish within `graceMs` (default 0), then cuts the rest. */
  close(graceMs?: number): Promise<void>;
}

/** Serves a Hono app on host:port (port 0 picks a free one) and resolves once it listens. */
export function listen(app: Hono, host: string, port: number): Promise<RunningHttpServer> {
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
        const displayHost = host.includes(":") ? `[${host}]` : host;
        resolve({
          url: `http://${displayHost}:${info.port}`,
          port: info.port,
          close: (graceMs = 0) =>
            new Promise<void>((done) => {
              const http = server as unknown as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
              const timer = setTimeout(() => http.closeAllConnections?.(), graceMs);
              server.close(() => {
                clearTimeout(timer);
                done();
              });
              // Idle keep-alive sockets would otherwise hold close() open until they time out.
              http.closeIdleConnections?.();
            }),
        });
      });
    } catch (error) {
      reject(error);
      return;
    }
    server.once("error", reject);
  });
}
