// ClusterRole aggregation (aggregationRule.clusterRoleSelectors): the aggregated role's rules are
// the union of its own and those of every ClusterRole whose labels match a selector. Aggregated
// roles can themselves be aggregated (admin ⊃ edit ⊃ view), so this runs to a fixpoint.
import type { PolicyRule, RoleInfo } from "./model.js";
import { matchesSelector } from "./selectors.js";

const ruleKey = (r: PolicyRule): string => JSON.stringify([r.verbs, r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs]);

/** Mutates `roles`: unions rules into aggregated ClusterRoles and records `aggregatedFrom`. */
export function resolveAggregation(roles: RoleInfo[]): void {
  const clusterRoles = roles.filter((r) => r.kind === "ClusterRole");
  const aggregated = clusterRoles.filter((r) => r.aggregationRule && r.aggregationRule.clusterRoleSelectors.length > 0);
  if (aggregated.length === 0) return;
  const seen = new Map<RoleInfo, Set<string>>(aggregated.map((r) => [r, new Set(r.rules.map(ruleKey))]));
  for (let changed = true, rounds = 0; changed && rounds <= aggregated.length; rounds++) {
    changed = false;
    for (const target of aggregated) {
      const keys = seen.get(target)!;
      const sources = new Set(target.aggregatedFrom ?? []);
      for (const source of clusterRoles) {
        if (source === target) continue;
        if (!target.aggregationRule!.clusterRoleSelectors.some((s) => matchesSelector(source.meta.labels, s))) continue;
        sources.add(source.meta.name);
        for (const rule of source.rules) {
          const key = ruleKey(rule);
          if (keys.has(key)) continue;
          keys.add(key);
          target.rules.push(rule);
          changed = true;
        }
      }
      if (sources.size) target.aggregatedFrom = [...sources].sort();
    }
  }
}
