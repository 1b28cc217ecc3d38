import { permissionSet, grantEvidence, bindingFix } from "../explain.js";
import { grantIn } from "../rbac.js";
import { tokenHoldersGranted } from "./helpers.js";
import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const TOKEN_BRUTEFORCE: EdgeTechnique = {
  kind: "TOKEN_BRUTEFORCE",
  description: "Guess the predictable names of service-account token Secrets and get them one by one.",
  precondition: "The permission set allows get on secrets but not list in that namespace (with list, TOKEN_LIST applies); resourceNames limit the Secrets.",
  from: "permissionset", to: "identity", attack: true, source: "kubehound",
  fix: "Remove get on secrets from the role",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    for (const ps of ctx.permissionSets) {
      const listed = new Set(tokenHoldersGranted(ctx, ps, "list", false).map((i) => i.id));
      for (const id of tokenHoldersGranted(ctx, ps, "get", true)) {
        if (listed.has(id.id) || grantIn(ps, id.namespace, "list", "", "secrets").all) continue;
        out.push(edge("TOKEN_BRUTEFORCE", ps.id, id.id));
      }
    }
    return out;
  },
  evidence: (ctx, e) => [...grantEvidence(permissionSet(ctx, e.from), "get secrets"), `token Secret names of ${e.to.replace("identity:serviceaccount:", "service account ")} are predictable`],
  remedy: (ctx, e) => bindingFix(permissionSet(ctx, e.from), e, "remove get on secrets"),
};
