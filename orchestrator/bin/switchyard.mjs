#!/usr/bin/env node
// Runs the TypeScript CLI from source: the checkout needs no build step.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
