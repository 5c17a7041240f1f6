export { repairOrdersAgentDefinition } from "./definition.js";
