// FIRST EPSS scores CSV: an optional `#model_version:…,score_date:…` comment line, then the header
// `cve,epss,percentile` and one row per CVE.
import { InputError } from "../../errors.js";

export interface EpssScores {
  scores: Record<string, [number, number]>;
  modelVersion?: string;
  scoreDate?: string;
}

export function parseEpssCsv(text: string, source = "epss.csv"): EpssScores {
  const out: EpssScores = { scores: {} };
  let header: string[] | undefined;
  let lineNo = 0;
  for (const raw of text.split(/\r?\n/)) {
    lineNo++;
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith("#")) {
      for (const pair of line.slice(1).split(",")) {
        const [k, v] = pair.split(":");
        if (k?.trim() === "model_version" && v) out.modelVersion = v.trim();
        if (k?.trim() === "score_date" && v) out.scoreDate = pair.slice(pair.indexOf(":") + 1).trim();
      }
      continue;
    }
    const cells = line.split(",").map((c) => c.trim());
    if (!header) {
      header = cells.map((c) => c.toLowerCase());
      if (!["cve", "epss", "percentile"].every((c) => header!.includes(c))) {
        throw new InputError(`${source}: line ${lineNo}: expected the header "cve,epss,percentile"`);
      }
      continue;
    }
    const cve = cells[header.indexOf("cve")];
    const epss = Number(cells[header.indexOf("epss")]);
    const pct = Number(cells[header.indexOf("percentile")]);
    if (!cve || !/^CVE-\d{4}-\d+$/.test(cve) || !Number.isFinite(epss) || !Number.isFinite(pct) || epss < 0 || epss > 1 || pct < 0 || pct > 1) {
      continue; // one bad row must not sink a 250k-row file
    }
    out.scores[cve] = [epss, pct];
  }
  if (!header) throw new InputError(`${source}: no "cve,epss,percentile" header found`);
  return out;
}
