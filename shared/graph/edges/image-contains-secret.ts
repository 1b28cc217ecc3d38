import { ids } from "../ids.js";
import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const IMAGE_CONTAINS_SECRET: EdgeTechnique = {
  kind: "IMAGE_CONTAINS_SECRET",
  description: "Structural: a layer of the image (which containers IS_RUNNING) holds a credential — readable by anyone who can pull the image, even when a later layer deleted the file. Not traversed by path search.",
  precondition: "The image's scan found a secret (private key, cloud credential, token, or a well-known secret file) in one of its layers; the secret finding node carries the layer, path, rule, whether the file was deleted later, and a redacted fingerprint — never the value.",
  from: "image", to: "secretfinding", attack: false, source: "vantage",
  fix: "Rebuild the image without the secret (build secrets or runtime injection), then rotate the credential",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    const seen = new Set<string>();
    for (const c of ctx.containers) {
      if (!c.vulns?.secrets.length || seen.has(c.imageId)) continue;
      seen.add(c.imageId);
      for (const s of c.vulns.secrets) {
        out.push(edge("IMAGE_CONTAINS_SECRET", c.imageId, ids.secretFinding(c.imageRef, s.layerDigest, s.path, s.rule, s.fingerprint), { deleted: s.deleted, layerIndex: s.layerIndex }));
      }
    }
    return out;
  },
  evidence: (_ctx, e) => [`a layer${typeof e.properties?.layerIndex === "number" ? ` (#${e.properties.layerIndex})` : ""} of ${e.from.slice(6)} holds a secret${e.properties?.deleted ? " (deleted by a later layer, still in the image)" : ""}`],
  remedy: (_ctx, e) => ({ text: `Rebuild ${e.from.slice(6)} without the secret, then rotate the credential`, object: e.from, field: "layers" }),
};
