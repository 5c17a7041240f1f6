import { getEventListeners } from "node:events";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { CallToolResultSchema, ErrorCode, McpError, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { createAbortScope, linkedScopeCount } from "./abort-scope.js";
import { AgentServiceError } from "./agent-service-error.js";
import type { JsonSchemaCompiler } from "./json-schema-validator.js";
import { createPerRequestSignalFetch } from "./per-request-signal-fetch.js";

/** Where the MCP server is: a Streamable HTTP URL, or a factory for an in-process transport. */
export type McpTarget =
  | { url: string; authToken?: string | undefined }
  | { connect: () => Promise<Transport>; label?: string | undefined };

/** The MCP server could not be reached; `retryable` is false when retrying cannot help (bad credentials). */
export class McpUnavailableError extends Error {
  override readonly name = "McpUnavailableError";
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Counters that show whether the long-lived client leaks per call. */
export interface McpDiagnostics {
  connected: boolean;
  /** Connections established so far (1 plus the reconnects). */
  connections: number;
  /** `abort` listeners on the HTTP transport's long-lived signal: at most one (0 for in-process transports). */
  transportSignalListeners: number;
  /** HTTP requests whose response has not ended yet; 0 when idle. */
  transportRequestsInFlight: number;
}

export interface McpConnectionOptions {
  target: McpTarget;
  clientInfo: { name: string; version: string };
  compiler: JsonSchemaCompiler;
  /** Receives the full tool list after every connect, refresh and `tools/list_changed`. */
  onTools: (tools: Tool[]) => void;
  connectTimeoutMs: number;
  log: (message: string) => void;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !error.message.includes(cause) ? `${error.message}: ${cause}` : error.message;
}

/**
 * One long-lived MCP client per agent service. It connects lazily (one connect shared by
 * concurrent callers), drops the client on any transport failure so that the next call
 * reconnects, and re-lists tools after every connect.
 */
export class McpConnection {
  readonly url: string;
  private current: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private transportSignal: AbortSignal | undefined;
  private connections = 0;
  private closed = false;
  private reachableNow = false;
  private lastErrorText: string | undefined;

  constructor(private readonly options: McpConnectionOptions) {
    this.url = "url" in options.target ? options.target.url : (options.target.label ?? "in-process");
  }

  get reachable(): boolean {
    return this.reachableNow;
  }

  get lastError(): string | undefined {
    return this.lastErrorText;
  }

  /** The connected client, connecting first when there is none. Throws McpUnavailableError. */
  async client(): Promise<Client> {
    if (this.closed) throw new McpUnavailableError("The MCP connection is closed (service stopping).", false);
    if (this.current) return this.current;
    this.connecting ??= this.establish().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /**
   * Lists every tool (following pagination) and publishes the list through `onTools`. A
   * connect made for this call already listed the tools, so it does not list them twice.
   */
  async refreshTools(signal: AbortSignal, timeoutMs: number): Promise<void> {
    const alreadyConnected = this.current !== undefined;
    const client = await this.client();
    if (!alreadyConnected) return;
    try {
      const tools = await this.listAllTools(client, signal, timeoutMs);
      this.markReachable();
      this.options.onTools(tools);
    } catch (error) {
      throw this.classify(error, client, signal);
    }
  }

  /**
   * Calls one tool. `signal` must be per call: the SDK adds an `abort` listener to it that
   * it never removes. Throws McpUnavailableError (transport trouble, client dropped),
   * AgentServiceError (protocol errors, timeout) or the signal's reason once aborted.
   */
  async callTool(name: string, args: Record<string, unknown>, signal: AbortSignal, timeoutMs: number): Promise<CallToolResult> {
    const client = await this.client();
    try {
      // request() rather than callTool(): the kit validates structured output itself, so that a
      // mismatch is reported as the server's fault with field paths, not as invalid parameters.
      const result = await client.request({ method: "tools/call", params: { name, arguments: args } }, CallToolResultSchema, {
        signal,
        timeout: timeoutMs,
      });
      this.markReachable();
      return result;
    } catch (error) {
      throw this.classify(error, client, signal);
    }
  }

  diagnostics(): McpDiagnostics {
    return {
      connected: this.current !== undefined,
      connections: this.connections,
      transportSignalListeners: this.transportSignal ? getEventListeners(this.transportSignal, "abort").length : 0,
      transportRequestsInFlight: this.transportSignal ? linkedScopeCount(this.transportSignal) : 0,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.current;
    this.current = undefined;
    await client?.close().catch(() => undefined);
  }

  private async establish(): Promise<Client> {
    const { target, clientInfo, compiler, connectTimeoutMs } = this.options;
    const client = new Client(clientInfo, {
      jsonSchemaValidator: compiler,
      listChanged: {
        // autoRefresh off: the SDK's refresh reads one page only; refreshTools follows cursors.
        tools: { autoRefresh: false, debounceMs: 50, onChanged: () => this.onListChanged(client) },
      },
    });
    const scope = createAbortScope({ timeoutMs: connectTimeoutMs });
    try {
      let transport: Transport;
      if ("url" in target) {
        transport = new StreamableHTTPClientTransport(new URL(target.url), {
          fetch: createPerRequestSignalFetch((signal) => {
            this.transportSignal = signal;
          }),
          ...(target.authToken ? { requestInit: { headers: { authorization: `Bearer ${target.authToken}` } } } : {}),
        });
      } else {
        transport = await target.connect();
      }
      await client.connect(transport, { signal: scope.signal, timeout: connectTimeoutMs });
      const tools = await this.listAllTools(client, scope.signal, connectTimeoutMs);
      if (this.closed) throw new McpUnavailableError("The MCP connection was closed while connecting.", false);
      client.onclose = () => {
        if (this.current !== client) return;
        this.current = undefined;
        this.markUnreachable("the MCP connection closed");
      };
      this.current = client;
      this.connections += 1;
      this.markReachable();
      this.options.onTools(tools);
      return client;
    } catch (error) {
      await client.close().catch(() => undefined);
      const unavailable =
        error instanceof McpUnavailableError ? error : this.unavailableFrom(error, `could not connect to the MCP server at ${this.url}`);
      this.markUnreachable(unavailable.message);
      throw unavailable;
    } finally {
      scope.dispose();
    }
  }

  private async listAllTools(client: Client, signal: AbortSignal, timeoutMs: number): Promise<Tool[]> {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor === undefined ? undefined : { cursor }, { signal, timeout: timeoutMs });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return tools;
  }

  private onListChanged(client: Client): void {
    if (this.current !== client) return;
    const scope = createAbortScope({ timeoutMs: this.options.connectTimeoutMs });
    this.refreshTools(scope.signal, this.options.connectTimeoutMs)
      .catch((error: unknown) => this.options.log(`refreshing tools after tools/list_changed failed: ${describeError(error)}`))
      .finally(() => scope.dispose());
  }

  private unavailableFrom(error: unknown, context: string): McpUnavailableError {
    const status = error instanceof StreamableHTTPError ? (error.code ?? 0) : 0;
    if (status === 401 || status === 403) {
      return new McpUnavailableError(`${context}: the server refused the credentials (HTTP ${status}); check MCP_AUTH_TOKEN.`, false, {
        cause: error,
      });
    }
    // Other client errors will not change on a retry; 404 can mean a lost session, 408/429 are transient.
    if (status >= 400 && status < 500 && ![404, 408, 429].includes(status)) {
      return new McpUnavailableError(`${context}: ${describeError(error)}`, false, { cause: error });
    }
    return new McpUnavailableError(`${context}: ${describeError(error)}`, true, { cause: error });
  }

  // Maps a failed request onto the kit's errors; transport failures also drop the client.
  private classify(error: unknown, client: Client, signal: AbortSignal): Error {
    if (signal.aborted) return signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));
    if (error instanceof McpError && error.code !== ErrorCode.ConnectionClosed) {
      this.markReachable();
      if (error.code === ErrorCode.RequestTimeout) {
        return new AgentServiceError(504, "TIMEOUT", `The MCP server did not answer in time: ${error.message}`);
      }
      if (error.code === ErrorCode.InvalidParams) {
        return new AgentServiceError(400, "INVALID_PARAMETERS", error.message, undefined, { cause: error });
      }
      return new AgentServiceError(502, "MCP_PROTOCOL_ERROR", `The MCP server answered with an error: ${error.message}`, { code: error.code }, {
        retryable: false,
        cause: error,
      });
    }
    this.drop(client);
    const unavailable = this.unavailableFrom(error, `the MCP server at ${this.url} is unreachable`);
    this.markUnreachable(unavailable.message);
    return unavailable;
  }

  private drop(client: Client): void {
    if (this.current === client) this.current = undefined;
    void client.close().catch(() => undefined);
  }

  private markReachable(): void {
    this.reachableNow = true;
  }

  private markUnreachable(reason: string): void {
    this.reachableNow = false;
    this.lastErrorText = reason;
  }
}
