export { createPartsServer, PARTS_SERVER_VERSION, PART_NUMBER_PATTERN } from "./server.js";
export { openPartsDatabase, type PartsDatabase, type PartsDb } from "./database.js";
export { partsServerDefinition } from "./definition.js";
export { seedParts } from "./seed.js";
export * as partsSchema from "./schema.js";
