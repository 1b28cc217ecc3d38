import { container as containerOf, describeContainer, containerFix, podFix, volume as volumeOf, permissionSet, grantEvidence, bindingFix, secret as secretOf } from "../explain.js";
import { grantAllows, grantIn } from "../rbac.js";
import { ids } from "../ids.js";
import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const SECRET_ACCESS: EdgeTechnique = {
  kind: "SECRET_ACCESS",
  description: "Read a Secret's data: through RBAC, a mounted Secret volume, or environment variables sourced from it.",
  precondition: "Permission set: get on secrets for the Secret's namespace and name, or list on secrets (no resourceNames). Volume: a secret or projected volume naming the Secret. Container: env/envFrom referencing the Secret.",
  from: ["permissionset", "volume", "container"], to: "secret", attack: true, source: "vantage",
  fix: "Remove get/list on secrets from the role (or stop mounting the Secret)",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    for (const ps of ctx.permissionSets) {
      const namespaces = ps.namespace !== undefined ? [ps.namespace] : [...ctx.secretsByNamespace.keys()];
      // Rules are namespace-independent within scope: evaluate once per permission set.
      const get = grantIn(ps, ps.namespace ?? namespaces[0], "get", "", "secrets");
      const list = grantIn(ps, ps.namespace ?? namespaces[0], "list", "", "secrets");
      if (!get.all && get.names.size === 0 && !list.all) continue;
      for (const ns of namespaces) for (const s of ctx.secretsByNamespace.get(ns) ?? []) {
        if (list.all || grantAllows(get, s.name)) out.push(edge("SECRET_ACCESS", ps.id, s.id));
      }
    }
    for (const v of ctx.volumes) for (const s of new Set(v.secretNames)) out.push(edge("SECRET_ACCESS", v.id, ids.secret(v.pod.namespace, s)));
    for (const c of ctx.containers) {
      const names = new Set((c.info.envSources ?? []).filter((e) => e.kind === "Secret").map((e) => e.name));
      for (const n of names) out.push(edge("SECRET_ACCESS", c.id, ids.secret(c.pod.namespace, n)));
    }
    return out;
  },
  evidence: (ctx, e) => {
    const s = secretOf(ctx, e.to);
    if (e.from.startsWith("permissionset:")) return grantEvidence(permissionSet(ctx, e.from), "get secrets").concat(s ? [`Secret ${s.namespace}/${s.name}${s.type ? ` (${s.type})` : ""}`] : []);
    if (e.from.startsWith("volume:")) {
      const v = volumeOf(ctx, e.from);
      return [`pod ${v?.pod.namespace}/${v?.pod.name} mounts Secret ${s?.name} as volume ${v?.name}`];
    }
    const c = containerOf(ctx, e.from);
    return [`${c ? describeContainer(c) : e.from} reads Secret ${s?.name} into environment variables`];
  },
  remedy: (ctx, e) => {
    if (e.from.startsWith("permissionset:")) return bindingFix(permissionSet(ctx, e.from), e, "remove get/list on secrets");
    if (e.from.startsWith("volume:")) {
      const v = volumeOf(ctx, e.from)!;
      return podFix(v.pod, `volumes[${v.name}]`, "remove the Secret volume at {field} (or scope the Secret it mounts)");
    }
    return containerFix(containerOf(ctx, e.from)!, "envFrom", "stop sourcing the Secret in {field}/env");
  },
};
