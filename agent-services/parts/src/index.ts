export { partsAgentDefinition } from "./definition.js";
