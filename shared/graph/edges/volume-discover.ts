import { container as containerOf, describeContainer, containerFix, podFix, volume as volumeOf } from "../explain.js";
import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const VOLUME_DISCOVER: EdgeTechnique = {
  kind: "VOLUME_DISCOVER",
  description: "Enumerate the volumes mounted into a container.",
  precondition: "The container has a volumeMount of the volume (the automounted token volume included).",
  from: "container", to: "volume", attack: true, source: "kubehound",
  fix: "Remove the volume mount",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    for (const c of ctx.containers) {
      const seen = new Set<string>();
      for (const m of c.mounts) if (!seen.has(m.volume.id)) {
        seen.add(m.volume.id);
        out.push(edge("VOLUME_DISCOVER", c.id, m.volume.id));
      }
    }
    return out;
  },
  evidence: (ctx, e) => {
    const c = containerOf(ctx, e.from);
    const m = c?.mounts.find((x) => x.volume.id === e.to);
    return c ? [`${describeContainer(c)} mounts volume ${m?.volume.name} at ${m?.mountPath}${m?.volume.synthetic ? " (automounted token)" : ""}`] : [];
  },
  remedy: (ctx, e) => {
    const c = containerOf(ctx, e.from)!;
    const v = volumeOf(ctx, e.to);
    return v?.synthetic ? podFix(c.pod, "automountServiceAccountToken", "set {field} to false") : containerFix(c, `volumeMounts[${v?.name ?? "?"}]`, "remove {field}");
  },
};
