import { permissionSet, grantEvidence, bindingFix, identity as identityOf } from "../explain.js";
import { grantAllows, grantIn, grantIsEmpty } from "../rbac.js";
import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const IDENTITY_IMPERSONATE: EdgeTechnique = {
  kind: "IDENTITY_IMPERSONATE",
  description: "Send API requests as another user, group or service account with impersonation headers. KubeHound documents it; Vantage computes it.",
  precondition: "The permission set allows verb impersonate on users or groups (core group; cluster-scoped, so only via a ClusterRoleBinding) or on serviceaccounts (in the binding's namespace); resourceNames limit which identities.",
  from: "permissionset", to: "identity", attack: true, source: "kubehound",
  fix: "Remove the impersonate verb from the role",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    for (const ps of ctx.permissionSets) {
      const users = grantIn(ps, undefined, "impersonate", "", "users");
      const groups = grantIn(ps, undefined, "impersonate", "", "groups");
      const anySa = ps.rules.some((r) => r.verbs.includes("impersonate") || r.verbs.includes("*"));
      if (grantIsEmpty(users) && grantIsEmpty(groups) && !anySa) continue;
      for (const id of ctx.identities.values()) {
        let ok = false;
        if (id.type === "user") ok = grantAllows(users, id.name);
        else if (id.type === "group") ok = grantAllows(groups, id.name);
        else ok = grantAllows(grantIn(ps, id.namespace, "impersonate", "", "serviceaccounts"), id.name);
        if (ok && !ps.subjectIds.includes(id.id)) out.push(edge("IDENTITY_IMPERSONATE", ps.id, id.id));
      }
    }
    return out;
  },
  evidence: (ctx, e) => {
    const id = identityOf(ctx, e.to);
    const res = id?.type === "serviceaccount" ? "serviceaccounts" : id?.type === "group" ? "groups" : "users";
    return [...grantEvidence(permissionSet(ctx, e.from), `impersonate ${res}`), `impersonates ${id?.type ?? "identity"} ${id?.name ?? e.to}`];
  },
  remedy: (ctx, e) => bindingFix(permissionSet(ctx, e.from), e, "remove the impersonate verb"),
};
