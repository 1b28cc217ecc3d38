// CISA Known Exploited Vulnerabilities catalog (JSON: `vulnerabilities[].cveID`, `dateAdded`,
// `knownRansomwareCampaignUse` "Known"|"Unknown").
import { InputError } from "../../errors.js";
import type { KevEntry } from "./model.js";

export function parseKevCatalog(text: string, source = "kev.json"): Record<string, KevEntry> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  const list = (doc as { vulnerabilities?: unknown })?.vulnerabilities;
  if (!Array.isArray(list)) throw new InputError(`${source}: expected CISA KEV JSON with a "vulnerabilities" array`);
  const out: Record<string, KevEntry> = {};
  for (const item of list) {
    const cve = (item as { cveID?: unknown })?.cveID;
    if (typeof cve !== "string" || !/^CVE-\d{4}-\d+$/.test(cve)) continue;
    const { dateAdded, knownRansomwareCampaignUse } = item as { dateAdded?: unknown; knownRansomwareCampaignUse?: unknown };
    out[cve] = {
      dateAdded: typeof dateAdded === "string" ? dateAdded : "",
      ransomware: typeof knownRansomwareCampaignUse === "string" && knownRansomwareCampaignUse.toLowerCase() === "known",
    };
  }
  return out;
}
