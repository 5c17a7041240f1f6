import { runStdioEntry } from "@switchyard/mcp-kit";
import { inventoryServerDefinition } from "./definition.js";

await runStdioEntry(inventoryServerDefinition);
