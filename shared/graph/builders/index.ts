// Builds the graph context (../context.ts) from a snapshot, one builder per section. Order matters:
// pods land on the nodes and read the token secrets already indexed, endpoints select pods, and
// permission sets and cloud identities read the service accounts and nodes before them.
import type { Snapshot } from "../../kubernetes/model.js";
import type { ContextInputs, GraphContext } from "../context.js";
import { ids } from "../ids.js";
import type { FindingsIndex } from "../images.js";
import { addCloudIdentities } from "./cloud-identities.js";
import { addEndpoints } from "./endpoints.js";
import { addNodes } from "./nodes.js";
import { addPermissionSets } from "./permission-sets.js";
import { addPods } from "./pods.js";
import { addServiceAccountsAndSecrets } from "./identities.js";

export function buildContext(snapshot: Snapshot, images: FindingsIndex, inputs: ContextInputs = {}): GraphContext {
  const clusterName = snapshot.cluster?.name || "cluster";
  const ctx: GraphContext = {
    snapshot, clusterName, clusterId: ids.cluster(clusterName), nodes: new Map(), pods: [], podsByNode: new Map(),
    podsByNamespace: new Map(), containers: [], volumes: [], services: [], ingresses: [], endpoints: [],
    identities: new Map(), serviceAccountsByNamespace: new Map(), permissionSets: [], permissionSetsBySubject: new Map(),
    secrets: new Map(), secretsByNamespace: new Map(), cloudIdentities: new Map(), azureScopes: new Map(), warnings: [...(snapshot.warnings ?? [])],
  };
  addNodes(ctx);
  addServiceAccountsAndSecrets(ctx);
  addPods(ctx, images);
  addEndpoints(ctx);
  addPermissionSets(ctx);
  addCloudIdentities(ctx, inputs.azure ?? []);
  return ctx;
}
