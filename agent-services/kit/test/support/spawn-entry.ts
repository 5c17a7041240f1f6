import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Root of the checkout; entries are spawned from here as `npm start` does. */
export const repositoryRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/** A TypeScript entry running as a real Node process. */
export interface SpawnedEntry {
  child: ChildProcess;
  /** The URL of its `listening on <url>` line. */
  url: string;
  stderr(): string;
  /** Sends `signal` (escalating to SIGKILL after 5 s) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `node --import tsx <entry>` and resolves once stderr shows `listening on <url>`. */
export function spawnEntry(entry: string, env: Record<string, string>, timeoutMs = 45_000): Promise<SpawnedEntry> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill(signal);
    const escalate = setTimeout(() => child.kill("SIGKILL"), 5_000);
    const code = await exited;
    clearTimeout(escalate);
    return code;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop("SIGKILL");
      reject(new Error(`${entry} did not start within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited (${code}) before listening:\n${stderr}`));
    };
    child.once("exit", onExit);
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (https?:\/\/[^\s/]+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        child.off("exit", onExit);
        resolve({ child, url: match[1], stderr: () => stderr, stop });
      }
    });
  });
}

/** The inventory MCP server's Streamable HTTP entry on `port` (0 = any free port). */
export async function spawnInventoryMcp(dataDir: string, port = 0): Promise<SpawnedEntry & { mcpUrl: string; port: number }> {
  const entry = await spawnEntry("mcp-servers/inventory/src/http.ts", { INVENTORY_MCP_PORT: String(port), DATA_DIR: dataDir });
  return { ...entry, mcpUrl: `${entry.url}/mcp`, port: Number(new URL(entry.url).port) };
}
