// GET /api/secrets: the secrets baked into the images a caller may see, one row per finding, read
// from each image's stored SBOM (only images whose record counts secrets are opened). Rows carry the
// redacted finding (layer, path, rule, fingerprint, hint) — the value was never stored.
import { InputError } from "../errors.js";
import type { Sbom } from "../scanner/model.js";
import type { ImageSecret } from "../scanner/secrets/image-secrets.js";
import { ALL, type Scope } from "./access.js";
import type { Dependencies } from "./dependencies.js";
import { listImages, scopedGraphs } from "./read-model.js";

export interface SecretFilter {
  image?: string;
  cluster?: string;
  severity?: string;
  deleted?: string;
}

export type SecretView = ImageSecret & { digest: string; refs: string[] };

const SEVERITIES = ["critical", "high", "medium"];

export async function listImageSecrets(deps: Dependencies, filter: SecretFilter = {}, scope: Scope = ALL): Promise<SecretView[]> {
  const severities = filter.severity ? filter.severity.split(",").map((s) => s.trim().toLowerCase()) : undefined;
  for (const s of severities ?? []) if (!SEVERITIES.includes(s)) throw new InputError(`severity must be one of ${SEVERITIES.join(", ")} (got "${s}")`);
  if (filter.deleted !== undefined && filter.deleted !== "" && filter.deleted !== "true" && filter.deleted !== "false") throw new InputError(`deleted must be true or false (got "${filter.deleted}")`);
  const deleted = filter.deleted === "true" ? true : filter.deleted === "false" ? false : undefined;
  const graphs = await scopedGraphs(deps, scope);
  let images = (await listImages(deps, scope, graphs)).filter((i) => i.secrets?.total && i.sbom);
  if (filter.image) {
    const needle = filter.image.toLowerCase();
    images = images.filter((i) => i.digest === needle || i.refs.some((r) => r.toLowerCase() === needle || r.toLowerCase().startsWith(`${needle}:`)));
  }
  if (filter.cluster) {
    const needle = filter.cluster.toLowerCase();
    const running = new Set(graphs.filter((g) => g.clusterName.toLowerCase() === needle || g.clusterId === needle).flatMap((g) => g.imageDigests ?? []));
    images = images.filter((i) => running.has(i.digest));
  }
  const out: SecretView[] = [];
  for (const image of images) {
    const sbom = await deps.state.blobs.getJson<Sbom>(image.sbom!);
    for (const s of sbom.secrets ?? []) {
      if (severities && !severities.includes(s.severity)) continue;
      if (deleted !== undefined && s.deleted !== deleted) continue;
      out.push({ ...s, digest: image.digest, refs: image.refs });
    }
  }
  const rank = (s: string) => SEVERITIES.indexOf(s);
  return out.sort((a, b) => rank(a.severity) - rank(b.severity) || (a.refs[0] ?? a.digest).localeCompare(b.refs[0] ?? b.digest) || a.path.localeCompare(b.path));
}
