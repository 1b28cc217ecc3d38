// The one catalog of Vantage's functions (name, trigger, handler). functions/index.ts registers it
// with Azure Functions; the local host (vantage start) serves the same list.
import type { FunctionDefinition } from "../shared/platform/functions.js";
import { durableFunctions } from "./durable.js";
import { eventGridFunctions } from "./events.js";
import { explorerFunctions } from "./explorer.js";
import { httpFunctions } from "./http.js";
import { timerFunctions } from "./timers.js";
import { webFunctions } from "./web.js";

export const catalog: FunctionDefinition[] = [...httpFunctions, ...explorerFunctions, ...eventGridFunctions, ...timerFunctions, ...durableFunctions, ...webFunctions];
