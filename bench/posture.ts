// Posture benchmark: every control of the catalog over the graph benchmark's 30k-pod cluster.
// Goals: ≤ 3 s and ≤ 200 MB extra heap. Baseline in the same run: one pass over every container
// reading its securityContext (the least any set of workload controls must do). CPU time is noted
// beside wall time (a shared machine stretches the latter). A second run renames every container
// uniquely, so no two failing resources share a fix text (the patch memo's worst case).
import { generateCluster } from "./graph.js";
import { evaluatePosture } from "../shared/posture/evaluate.js";
import { benchScale, ratio, type BenchResult } from "./types.js";

function heapMb(): number {
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

function baselinePass(pods: ReturnType<typeof generateCluster>["snapshot"]["pods"]): number {
  let n = 0;
  for (const p of pods) for (const c of p.containers) if (c.securityContext?.privileged || c.securityContext?.runAsUser === 0 || p.hostNetwork) n++;
  return n;
}

export async function run(): Promise<BenchResult[]> {
  const pods = Math.max(100, Math.round(30_000 * benchScale()));
  const { snapshot } = generateCluster(pods);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const b0 = performance.now();
  baselinePass(snapshot.pods);
  const baseMs = Math.max(0.01, performance.now() - b0);
  gc?.();
  const h0 = heapMb();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const report = evaluatePosture({ snapshot, options: { trustedRegistries: ["registry.bench.local"] } });
  const ms = performance.now() - t0;
  const cpuMs = process.cpuUsage(c0).user / 1000;
  // Heap growth before collection bounds the extra heap the evaluation needed (garbage included).
  const grown = Math.max(0, heapMb() - h0);
  gc?.();
  const retained = Math.max(0, heapMb() - h0);
  const failures = report.controls.reduce((n, c) => n + c.failed.length, 0);
  const note = `${snapshot.pods.length} pods, ${report.controls.length} controls, ${failures} failing resources, score ${report.score}`;

  const unique = { ...snapshot, pods: snapshot.pods.map((p, i) => ({ ...p, containers: p.containers.map((c) => ({ ...c, name: `${c.name}-${i}` })) })) };
  gc?.();
  const u0 = performance.now();
  const uc0 = process.cpuUsage();
  evaluatePosture({ snapshot: unique, options: { trustedRegistries: ["registry.bench.local"] } });
  const uniqueMs = performance.now() - u0;
  const uniqueCpu = process.cpuUsage(uc0).user / 1000;
  return [
    { name: `posture.evaluate.${pods}pods`, value: Math.round(ms), unit: "ms", baseline: Math.round(baseMs * 100) / 100, ratio: ratio(ms, baseMs), note: `${note}; ${Math.round(cpuMs)} ms CPU; goal ≤ 3000 ms` },
    { name: `posture.evaluate.${pods}pods.unique-containers`, value: Math.round(uniqueMs), unit: "ms", baseline: Math.round(baseMs * 100) / 100, ratio: ratio(uniqueMs, baseMs), note: `every container named uniquely (no shared fix text); ${Math.round(uniqueCpu)} ms CPU` },
    { name: `posture.heap.grown.${pods}pods`, value: Math.round(grown), unit: "MB", note: `heap growth during evaluation, garbage included; goal ≤ 200 MB${gc ? "" : " (no --expose-gc)"}` },
    { name: `posture.heap.retained.${pods}pods`, value: Math.round(retained), unit: "MB", note: "the report kept after collection" },
  ];
}
