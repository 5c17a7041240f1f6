import { runHttpEntry } from "@switchyard/mcp-kit";
import { partsServerDefinition } from "./definition.js";

await runHttpEntry(partsServerDefinition);
