import { runStdioEntry } from "@switchyard/mcp-kit";
import { repairOrdersServerDefinition } from "./definition.js";

await runStdioEntry(repairOrdersServerDefinition);
