import { azureScope, cloudIdentity } from "../explain.js";
import { ids } from "../ids.js";
import type { GraphEdge } from "../model.js";
import { edge, type EdgeTechnique } from "./types.js";

export const AZURE_ROLE_ASSIGNMENT: EdgeTechnique = {
  kind: "AZURE_ROLE_ASSIGNMENT",
  description: "Use an Azure identity's token with the role assignments it holds: the role's actions and data actions at the assignment's scope (subscription, resource group or resource).",
  precondition: "The identity's role assignments were read (`assignedTo` filter) and one is at the scope; the edge lists every role there. The scope is a crown jewel when a role allows, action by action (wildcards and notActions evaluated exactly): writing role assignments, deploying/writing every resource, Key Vault secret or key data, storage data, or pushing to a registry.",
  from: "cloudidentity", to: "azurescope", attack: true, source: "vantage",
  fix: "Remove or narrow the role assignment",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    for (const ci of ctx.cloudIdentities.values()) {
      const byScope = new Map<string, string[]>();
      for (const g of ci.grants) byScope.set(g.scope, [...(byScope.get(g.scope) ?? []), g.roleName]);
      for (const [scope, roles] of byScope) out.push(edge("AZURE_ROLE_ASSIGNMENT", ci.id, ids.azureScope(scope), { roles: [...new Set(roles)].sort() }));
    }
    return out;
  },
  evidence: (ctx, e) => {
    const ci = cloudIdentity(ctx, e.from);
    const sc = azureScope(ctx, e.to);
    const grants = (ci?.grants ?? []).filter((g) => ids.azureScope(g.scope) === e.to);
    return grants.map((g) => `role ${g.roleName} assigned to ${ci?.name ?? ci?.clientId ?? e.from} at ${sc?.type ?? "scope"} ${g.scope}${g.capabilities.length ? ` — allows ${g.capabilities.join(", ")}` : ""} (assignment ${g.assignmentId})`);
  },
  remedy: (ctx, e) => {
    const ci = cloudIdentity(ctx, e.from);
    const grants = (ci?.grants ?? []).filter((g) => ids.azureScope(g.scope) === e.to);
    const worst = grants.find((g) => g.capabilities.length) ?? grants[0];
    return {
      text: `Remove the ${worst?.roleName ?? "role"} assignment of ${ci?.name ?? e.from} at ${worst?.scope ?? e.to.slice(11)} (or replace it with a role scoped to what the workload uses)`,
      object: worst?.assignmentId ?? e.from, field: "roleDefinitionId",
    };
  },
};
