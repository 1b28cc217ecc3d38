import { podFix, volume as volumeOf } from "../explain.js";
import { ids } from "../ids.js";
import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const TOKEN_STEAL: EdgeTechnique = {
  kind: "TOKEN_STEAL",
  description: "Read a service-account token out of a volume.",
  precondition: "The volume is a projected service-account token (the automounted kube-api-access volume included) or a Secret volume of a kubernetes.io/service-account-token Secret.",
  from: "volume", to: "identity", attack: true, source: "kubehound",
  fix: "Set automountServiceAccountToken: false (and drop token Secret volumes)",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    for (const v of ctx.volumes) {
      if (!v.token) continue;
      const holders = new Set<string>();
      if (v.info.serviceAccountToken) holders.add(v.pod.serviceAccountId);
      for (const s of v.secretNames) {
        const sa = ctx.secrets.get(ids.secret(v.pod.namespace, s))?.serviceAccountId;
        if (sa) holders.add(sa);
      }
      for (const h of holders) out.push(edge("TOKEN_STEAL", v.id, h));
    }
    return out;
  },
  evidence: (ctx, e) => {
    const v = volumeOf(ctx, e.from);
    return v ? [`volume ${v.name} of pod ${v.pod.namespace}/${v.pod.name} holds a token of ${e.to.replace("identity:serviceaccount:", "service account ")}${v.synthetic ? " (automounted)" : ""}`] : [];
  },
  remedy: (ctx, e) => {
    const v = volumeOf(ctx, e.from)!;
    return v.synthetic ? podFix(v.pod, "automountServiceAccountToken", "set {field} to false") : podFix(v.pod, `volumes[${v.name}]`, "remove the token volume at {field}");
  },
};
