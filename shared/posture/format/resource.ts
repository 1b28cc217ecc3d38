import type { ResourceRef } from "../model.js";

/** `Kind namespace/name[/container]`, the way the table, SARIF and JUnit name a resource. */
export function describeResource(r: ResourceRef): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name}${r.container ? ` (container ${r.container})` : ""}`;
}

export function resourcePath(r: ResourceRef): string {
  return [r.namespace ?? "", r.kind, r.name, r.container].filter((x) => x !== undefined && x !== "").join("/");
}
