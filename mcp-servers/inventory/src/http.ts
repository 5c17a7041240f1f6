import { runHttpEntry } from "@switchyard/mcp-kit";
import { inventoryServerDefinition } from "./definition.js";

await runHttpEntry(inventoryServerDefinition);
