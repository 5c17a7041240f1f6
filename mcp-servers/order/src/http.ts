import { runHttpEntry } from "@switchyard/mcp-kit";
import { orderServerDefinition } from "./definition.js";

await runHttpEntry(orderServerDefinition);
