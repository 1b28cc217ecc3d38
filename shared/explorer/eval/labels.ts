// Label tests: a node kind, or a pseudo-label answered by the graph view's indexes.
import type { GraphNode } from "../../graph/model.js";
import type { GraphView } from "../graph-view.js";
import type { ResolvedLabel } from "../labels.js";

export function hasLabel(view: GraphView, node: GraphNode, label: ResolvedLabel): boolean {
  if ("kind" in label) return node.kind === label.kind;
  switch (label.pseudo) {
    case "hasinsight":
      return view.insights(node.id).length > 0;
    case "chokepoint":
      return view.pathsCut(node.id) !== null;
    case "onattackpath":
      return view.isOnAttackPath(node.id);
  }
}

export function labelNodes(view: GraphView, label: ResolvedLabel): readonly GraphNode[] {
  if ("kind" in label) return view.nodesOfKind(label.kind);
  if (label.pseudo === "hasinsight") return view.nodesWithInsights();
  if (label.pseudo === "chokepoint") return view.chokePointNodes();
  return view.attackPathNodes();
}
