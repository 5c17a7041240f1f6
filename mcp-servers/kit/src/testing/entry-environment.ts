// Settings a developer's shell may carry that would change what a test sees (auth, allowed origins, bind address).
const inheritedSettingsToDrop = ["MCP_AUTH_TOKEN", "MCP_ALLOWED_ORIGINS", "MCP_HOST"];

/**
 * The environment for an entry started by a test: this process's, without the MCP settings
 * above, plus `overrides` (an `undefined` override removes the variable).
 */
export function entryEnvironment(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !inheritedSettingsToDrop.includes(key)) env[key] = value;
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}
