import { permissionSet, grantEvidence, bindingFix } from "../explain.js";
import { tokenHoldersGranted } from "./helpers.js";
import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const TOKEN_LIST: EdgeTechnique = {
  kind: "TOKEN_LIST",
  description: "List Secrets and read the service-account tokens stored in them.",
  precondition: "The permission set allows list on secrets (no resourceNames) in the namespace; targets the service accounts with a token Secret there (every service account in scope when Secrets are not in the snapshot).",
  from: "permissionset", to: "identity", attack: true, source: "kubehound",
  fix: "Remove list on secrets from the role",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    for (const ps of ctx.permissionSets) for (const id of tokenHoldersGranted(ctx, ps, "list", false)) out.push(edge("TOKEN_LIST", ps.id, id.id));
    return out;
  },
  evidence: (ctx, e) => [...grantEvidence(permissionSet(ctx, e.from), "list secrets"), `${e.to.replace("identity:serviceaccount:", "service account ")} has a token Secret in scope`],
  remedy: (ctx, e) => bindingFix(permissionSet(ctx, e.from), e, "remove list on secrets"),
};
