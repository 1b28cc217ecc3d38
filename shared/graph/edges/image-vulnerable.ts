import { ids } from "../ids.js";
import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const IMAGE_VULNERABLE: EdgeTechnique = {
  kind: "IMAGE_VULNERABLE",
  description: "Structural: the image (which containers IS_RUNNING) carries the vulnerability. Not traversed by path search.",
  precondition: "A scan report joined to the container's image (by digest, or by normalized reference) has a finding with this id.",
  from: "image", to: "vulnerability", attack: false, source: "vantage",
  fix: "Update the vulnerable packages in the image",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    const seen = new Set<string>();
    for (const c of ctx.containers) {
      if (!c.vulns || seen.has(c.imageId)) continue;
      seen.add(c.imageId);
      // Fix facts are per image (they depend on its packages), so they live on this edge.
      for (const v of c.vulns.vulns.values()) {
        out.push(edge("IMAGE_VULNERABLE", c.imageId, ids.vulnerability(v.id), { fixStatus: v.fixStatus, fixedVersion: v.fixedVersions.join(", ") || null, packages: v.packages }));
      }
    }
    return out;
  },
  evidence: (_ctx, e) => [`${e.from.slice(6)} carries ${e.to.slice(14)}`],
  remedy: (_ctx, e) => ({ text: `Update the vulnerable packages of ${e.from.slice(6)}`, object: e.from, field: "packages" }),
};
