// `vantage scan` output formats.
import type { Sbom, ScanReport } from "../model.js";
import { formatCycloneDx } from "./cyclonedx.js";
import { formatJson } from "./json.js";
import { formatSarif } from "./sarif.js";
import { formatTable } from "./table.js";

export const SCAN_FORMATS = ["table", "json", "sarif", "cyclonedx-json"] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

export function formatScanReport(report: ScanReport, format: ScanFormat, sbom?: Sbom): string {
  switch (format) {
    case "json":
      return formatJson(report);
    case "sarif":
      return formatSarif(report, sbom);
    case "cyclonedx-json":
      return formatCycloneDx(report, sbom);
    case "table":
      return formatTable(report);
  }
}

export { scanReportJson, findingJson } from "./json.js";
export { sarifLog } from "./sarif.js";
export { cyclonedxBom } from "./cyclonedx.js";
export { severityCounts } from "./counts.js";
