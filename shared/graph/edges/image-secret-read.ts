import { container as containerOf, describeContainer } from "../explain.js";
import { ids } from "../ids.js";
import type { GraphEdge } from "../model.js";
import { edge, type EdgeTechnique } from "./types.js";

// Code running in a container reads its image's files: a credential left in the final filesystem
// is one `cat` away. A file a later layer deleted is not in the container (only in the registry's
// layers, which IMAGE_CONTAINS_SECRET records), so it is no step here.
export const IMAGE_SECRET_READ: EdgeTechnique = {
  kind: "IMAGE_SECRET_READ",
  description: "Read a credential baked into the container's image: the file is in the filesystem the container runs on.",
  precondition: "The image the container runs has a secret finding (private key, cloud credential, token, or a well-known secret file) whose file is still in the final filesystem (not deleted by a later layer).",
  from: "container", to: "secretfinding", attack: true, source: "vantage",
  fix: "Rebuild the image without the secret (build secrets or runtime injection), then rotate the credential",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    for (const c of ctx.containers) {
      for (const s of c.vulns?.secrets ?? []) {
        if (!s.deleted) out.push(edge("IMAGE_SECRET_READ", c.id, ids.secretFinding(c.imageRef, s.layerDigest, s.path, s.rule, s.fingerprint)));
      }
    }
    return out;
  },
  evidence: (ctx, e) => {
    const c = containerOf(ctx, e.from);
    const s = c?.vulns?.secrets.find((x) => ids.secretFinding(c.imageRef, x.layerDigest, x.path, x.rule, x.fingerprint) === e.to);
    if (!c || !s) return [];
    return [`${describeContainer(c)} runs ${c.imageRef}, whose layer #${s.layerIndex} left ${s.title ?? s.rule} at /${s.path} (fingerprint ${s.fingerprint}; the value is never stored)`];
  },
  remedy: (ctx, e) => {
    const c = containerOf(ctx, e.from);
    const image = c?.imageId ?? e.from;
    return { text: `Rebuild ${c?.imageRef ?? "the image"} without the secret (build secrets or runtime injection), then rotate the credential`, object: image, field: "layers" };
  },
};
