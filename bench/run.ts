// `npm run bench`: runs every benchmark (each measures its own baseline in the same run), prints a
// table and writes bench/results.json. VANTAGE_BENCH_SCALE=0.1 gives a quick run; VANTAGE_BENCH_ONLY
// picks benchmarks by name (comma-separated).
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startAzurite } from "../shared/host/azurite.js";
import { storageFromEnv } from "../shared/storage/connection.js";
import type { BenchResult } from "./types.js";

type Bench = { name: string; run: () => Promise<BenchResult[]> };

async function main(): Promise<void> {
  const azurite = await startAzurite();
  const storage = storageFromEnv({ AzureWebJobsStorage: azurite.connectionString });
  const benches: Bench[] = [
    { name: "durable", run: async () => (await import("./durable.js")).run(storage) },
  ];
  for (const [name, path] of [["onboard", "./onboard.js"], ["snapshot", "./snapshot.js"], ["catalog", "./catalog.js"], ["rematch", "./rematch.js"], ["graph", "./graph.js"], ["explorer", "./explorer.js"], ["posture", "./posture.js"], ["push", "./push.js"], ["secrets", "./secrets.js"], ["isolation", "./isolation.js"], ["trivy", "./trivy.js"], ["inventory", "./inventory.js"]] as const) {
    benches.push({ name, run: async () => (await import(path)).run() });
  }
  const only = process.env.VANTAGE_BENCH_ONLY?.split(",").map((s) => s.trim());
  const results: (BenchResult & { bench: string })[] = [];
  try {
    for (const b of benches) {
      if (only && !only.includes(b.name)) continue;
      process.stderr.write(`bench ${b.name} …\n`);
      try {
        for (const r of await b.run()) results.push({ bench: b.name, ...r });
      } catch (err) {
        results.push({ bench: b.name, name: `${b.name}: FAILED`, value: NaN, unit: "", note: (err as Error).message });
      }
    }
  } finally {
    await azurite.stop();
  }
  const opt = (n: number | undefined) => (n === undefined ? "" : fmt(n));
  const rows = [["benchmark", "value", "unit", "baseline", "ratio", "trivy", "vs trivy", "note"], ...results.map((r) => [r.name, fmt(r.value), r.unit, opt(r.baseline), opt(r.ratio), opt(r.trivy), opt(r.trivyRatio), r.note ?? ""])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log([line(rows[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n"));
  const out = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bench", "results.json");
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), scale: process.env.VANTAGE_BENCH_SCALE ?? "1", results }, null, 2));
  process.stderr.write(`wrote ${out}\n`);
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? String(n) : n.toFixed(3);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
