// The few SBOM facts an image record keeps, computed where the SBOM is (the pool worker) so the host
// needs neither the SBOM object nor a parse of its JSON.
import { secretCounts } from "../scanner/report/secrets.js";
import type { Sbom } from "../scanner/model.js";

export interface SbomSummary {
  digest?: string;
  os?: Sbom["artifact"]["os"];
  packages: number;
  secrets?: ReturnType<typeof secretCounts>;
}

export function sbomSummary(sbom: Sbom): SbomSummary {
  return {
    ...(sbom.artifact.digest ? { digest: sbom.artifact.digest } : {}),
    ...(sbom.artifact.os ? { os: sbom.artifact.os } : {}),
    packages: sbom.packages.length,
    ...(sbom.secrets ? { secrets: secretCounts(sbom.secrets) } : {}),
  };
}
