import { runStdioEntry } from "@switchyard/mcp-kit";
import { partsServerDefinition } from "./definition.js";

await runStdioEntry(partsServerDefinition);
