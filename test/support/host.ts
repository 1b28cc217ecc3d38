// A local host serving the product catalog over fresh, uniquely named tables, with the dependencies
// its functions were built from (so tests can seed and inspect the same state).
import { createCatalog } from "../../functions/catalog.js";
import { LocalHost, type LocalHostOptions } from "../../shared/host/local-host.js";
import type { FunctionDefinition } from "../../shared/platform/functions.js";
import { createDependencies, type Dependencies } from "../../shared/workflows/dependencies.js";
import { testStorage, uniqueName } from "./storage.js";

export function testHost(prefix: string, options: { extra?: FunctionDefinition[]; log?: LocalHostOptions["log"] } = {}): { host: LocalHost; deps: Dependencies } {
  const storage = testStorage();
  const deps = createDependencies({ storage, config: { tablePrefix: uniqueName(prefix), taskHub: uniqueName(prefix) } });
  const host = new LocalHost({ catalog: [...(options.extra ?? []), ...createCatalog(deps)], storage, taskHub: deps.config.taskHub, port: 0, log: options.log });
  return { host, deps };
}
