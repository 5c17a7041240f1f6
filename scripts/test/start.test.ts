import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { repositoryRoot } from "@switchyard/mcp-kit/testing";
import { serviceNames } from "../stack.js";

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const server = createServer();
      server.listen(0, "127.0.0.1", () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

function descendants(pid: number): number[] {
  let output = "";
  try {
    output = execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" });
  } catch {
    return [];
  }
  const children = output.split("\n").map((l) => Number(l.trim())).filter((n) => n > 0);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** A process still running (a zombie awaiting its reaper counts as gone), with its command line. */
function running(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    if (/^\d+ \(.*\) Z/.test(stat)) return undefined;
    return `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ")}`;
  } catch {
    return undefined;
  }
}
const alive = (pid: number) => running(pid) !== undefined;

test("npm start brings the stack up, the printed example succeeds, and Ctrl-C leaves no process behind", { timeout: 180_000 }, async () => {
  const ports = await freePorts(12);
  const env: Record<string, string> = { DATA_DIR: mkdtempSync(join(tmpdir(), "switchyard-start-")) };
  serviceNames.forEach((name, i) => {
    const upper = name.toUpperCase().replace(/-/g, "_");
    env[`${upper}_MCP_PORT`] = String(ports[i]);
    env[`${upper}_AGENT_PORT`] = String(ports[i + 5]);
  });
  env.REGISTRY_PORT = String(ports[10]);
  env.ORCHESTRATOR_PORT = String(ports[11]);
  delete process.env.OPENAI_API_KEY;

  const start = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts", "--quiet"], { cwd: repositoryRoot, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  start.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  start.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => start.once("exit", (code) => resolve(code)));
  try {
    const deadline = Date.now() + 150_000;
    while (!output.includes("READY") && Date.now() < deadline && start.exitCode === null) await new Promise((r) => setTimeout(r, 200));
    expect(output).toContain("READY");

    const example = /curl -s -X POST (\S+) -H 'content-type: application\/json' -d '(.+)'/.exec(output);
    expect(example).not.toBeNull();
    const response = await fetch(example![1]!, { method: "POST", headers: { "content-type": "application/json" }, body: example![2]! });
    const body = (await response.json()) as { success: boolean; final_result: string };
    expect(body.success).toBe(true);
    expect(body.final_result).toContain("Progress: 5/5 steps succeeded");

    const processes = descendants(start.pid!);
    expect(processes.length).toBeGreaterThanOrEqual(12);
    start.kill("SIGINT");
    expect(await exited).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(processes.map(running).filter(Boolean)).toEqual([]);
    expect(output).toContain("all services stopped");
  } finally {
    if (start.exitCode === null) {
      for (const pid of descendants(start.pid!)) if (alive(pid)) process.kill(pid, "SIGKILL");
      start.kill("SIGKILL");
    }
  }
});

test("npm start --help explains the options; a bad option is a clear error", () => {
  const help = execFileSync(process.execPath, ["--import", "tsx", "scripts/start.ts", "--help"], { cwd: repositoryRoot, encoding: "utf8" });
  expect(help).toContain("Usage: npm start");
  expect(() => execFileSync(process.execPath, ["--import", "tsx", "scripts/start.ts", "--llm", "psychic"], { cwd: repositoryRoot, encoding: "utf8", stdio: "pipe" })).toThrow(/--llm must be auto, rules or simulated/);
});
