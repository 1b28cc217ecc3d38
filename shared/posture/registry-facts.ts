// Registry controls judge the ARM facts of the registries in the cluster's subscription.
import type { RegistryFacts } from "../azure/model.js";
import type { Assessment, PostureInput, Violation } from "./model.js";

export function judgeRegistries(input: PostureInput, check: (r: RegistryFacts) => string | undefined | "unknown", fix: (r: RegistryFacts) => string): Assessment {
  const registries = input.registries;
  if (!registries) return { status: "not-assessed", reason: "no ARM facts for registries (offline input)", passed: 0, failed: [] };
  if (!registries.length) return { status: "not-applicable", reason: "no container registry in the subscription", passed: 0, failed: [] };
  let passed = 0;
  let unknown = 0;
  const failed: Violation[] = [];
  for (const r of registries) {
    const detail = check(r);
    if (detail === "unknown") unknown++;
    else if (detail) failed.push({ resource: { kind: "ContainerRegistry", name: r.name }, detail, fix: fix(r) });
    else passed++;
  }
  if (unknown === registries.length) return { status: "not-assessed", reason: "the setting is not in the recorded registry facts", passed: 0, failed: [] };
  return { passed, failed };
}
