// Event Grid trigger (Azure delivers through the extension's webhook); locally the same events
// arrive at POST /api/events. Both go to the one domain handler.
import type { FunctionDefinition } from "../shared/platform/functions.js";
import { handleEvent } from "../shared/workflows/events.js";

export const eventGridFunctions: Extract<FunctionDefinition, { trigger: { type: "eventGrid" } }>[] = [
  { name: "eventGrid", trigger: { type: "eventGrid" }, handler: async (event, ctx) => { await handleEvent(event, ctx.client, ctx.log); } },
];
