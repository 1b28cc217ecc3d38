// Event Grid trigger (Azure delivers through the extension's webhook); locally the same events
// arrive at POST /api/events. Both go to the one domain handler.
import type { FunctionDefinition } from "../shared/platform/functions.js";
import type { Dependencies } from "../shared/workflows/dependencies.js";
import { handleEvent } from "../shared/workflows/events.js";

export function eventGridFunctions(deps: Dependencies): Extract<FunctionDefinition, { trigger: { type: "eventGrid" } }>[] {
  return [{ name: "eventGrid", trigger: { type: "eventGrid" }, handler: async (event, ctx) => { await handleEvent(deps, event, ctx.client, ctx.log); } }];
}
