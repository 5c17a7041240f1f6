import { runStdioEntry } from "@switchyard/mcp-kit";
import { orderServerDefinition } from "./definition.js";

await runStdioEntry(orderServerDefinition);
