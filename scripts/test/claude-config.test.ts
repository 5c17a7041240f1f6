import { execFile } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, test } from "vitest";
import { repositoryRoot } from "@switchyard/mcp-kit/testing";

const run = promisify(execFile);
const script = ["--import", "tsx", "scripts/claude-config.ts"];

describe("npm run claude-config", () => {
  test("prints one absolute stdio entry per server that Claude Desktop can start from anywhere", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "switchyard-claude-"));
    const { stdout } = await run(process.execPath, [...script, "--data-dir", dataDir], { cwd: repositoryRoot });
    const config = JSON.parse(stdout) as { mcpServers: Record<string, { command: string; args: string[]; env: Record<string, string> }> };
    const servers = Object.keys(config.mcpServers).sort();
    expect(servers).toEqual(["switchyard-inventory", "switchyard-order", "switchyard-parts", "switchyard-payment", "switchyard-repair-orders"]);
    for (const entry of Object.values(config.mcpServers)) {
      expect(isAbsolute(entry.command)).toBe(true);
      expect(entry.env.DATA_DIR).toBe(dataDir);
      const file = entry.args.at(-1)!;
      expect(isAbsolute(file) && existsSync(file)).toBe(true);
    }

    // Start one entry exactly as Claude Desktop would: from an unrelated working directory.
    const inventory = config.mcpServers["switchyard-inventory"]!;
    const client = new Client({ name: "claude-desktop-stand-in", version: "1.0.0" });
    await client.connect(
      new StdioClientTransport({ command: inventory.command, args: inventory.args, env: inventory.env, cwd: tmpdir(), stderr: "pipe" }),
    );
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("reserve_stock");
    await client.close();
    expect(existsSync(join(dataDir, "inventory.db"))).toBe(true);
  });

  test("--help explains the command; a bad option or server name is a clear error", async () => {
    const help = await run(process.execPath, [...script, "--help"], { cwd: repositoryRoot });
    expect(help.stdout).toContain("Usage: npm run claude-config");
    await expect(run(process.execPath, [...script, "--servers", "inventory,warp-drive"], { cwd: repositoryRoot })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("unknown server(s): warp-drive"),
    });
    await expect(run(process.execPath, [...script, "--frobnicate"], { cwd: repositoryRoot })).rejects.toMatchObject({ code: 2 });
  });
});
