// The one catalog of Vantage's functions (name, trigger, handler), built from a host's dependencies.
// functions/index.ts registers it with Azure Functions; the local host (vantage start) serves the
// same list.
import type { FunctionDefinition } from "../shared/platform/functions.js";
import type { Dependencies } from "../shared/workflows/dependencies.js";
import { durableFunctions } from "./durable.js";
import { eventGridFunctions } from "./events.js";
import { explorerFunctions } from "./explorer.js";
import { httpFunctions } from "./http.js";
import { timerFunctions } from "./timers.js";
import { webFunctions } from "./web.js";

export function createCatalog(deps: Dependencies): FunctionDefinition[] {
  return [...httpFunctions(deps), ...explorerFunctions(deps), ...eventGridFunctions(deps), ...timerFunctions(deps), ...durableFunctions(deps), ...webFunctions];
}
