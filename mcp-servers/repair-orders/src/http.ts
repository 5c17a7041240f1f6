import { runHttpEntry } from "@switchyard/mcp-kit";
import { repairOrdersServerDefinition } from "./definition.js";

await runHttpEntry(repairOrdersServerDefinition);
