// QueryModel → text. Gives columns their names (`RETURN n.name` → column "n.name") and lets a UI
// query builder turn its model back into shareable text; parse(print(m)) is m minus positions.
import type { Expression, IntOrParam, NodePattern, QueryModel, RelationshipPattern } from "./model.js";

const PRECEDENCE: Record<string, number> = {
  or: 1, xor: 2, and: 3,
  "=": 5, "<>": 5, "<": 5, "<=": 5, ">": 5, ">=": 5, in: 5, contains: 5, "starts with": 5, "ends with": 5,
  "+": 6, "-": 6, "*": 7, "/": 7, "%": 7,
};

function precedence(e: Expression): number {
  if (e.type === "binary") return PRECEDENCE[e.operator]!;
  if (e.type === "not") return 4;
  if (e.type === "isNull") return 5;
  if (e.type === "negate") return 8;
  return 10;
}

export function printName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, "``")}\``;
}

function printString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")}"`;
}

function wrap(e: Expression, min: number): string {
  const text = printExpression(e);
  return precedence(e) < min ? `(${text})` : text;
}

export function printExpression(e: Expression): string {
  switch (e.type) {
    case "literal":
      return typeof e.value === "string" ? printString(e.value) : String(e.value);
    case "param":
      return `$${e.name}`;
    case "variable":
      return printName(e.name);
    case "property":
      return `${wrap(e.object, 9)}.${printName(e.key)}`;
    case "list":
      return `[${e.items.map(printExpression).join(", ")}]`;
    case "not":
      return `NOT ${wrap(e.operand, 4)}`;
    case "negate":
      return `-${wrap(e.operand, 8)}`;
    case "isNull":
      return `${wrap(e.operand, 6)} IS ${e.negated ? "NOT " : ""}NULL`;
    case "hasLabels":
      return `${printName(e.variable)}${printLabels(e.labels)}`;
    case "binary": {
      const p = PRECEDENCE[e.operator]!;
      // Comparisons don't chain in this subset, so both sides of one bind tighter.
      const rightMin = p === 5 ? 6 : p + 1;
      const leftMin = p === 5 ? 6 : p;
      return `${wrap(e.left, leftMin)} ${e.operator.toUpperCase()} ${wrap(e.right, rightMin)}`;
    }
    case "call":
      if (e.star) return `${e.name}(*)`;
      return `${e.name}(${e.distinct ? "DISTINCT " : ""}${e.args.map(printExpression).join(", ")})`;
  }
}

function printLabels(groups: string[][]): string {
  return groups.map((g) => `:${g.map(printName).join("|")}`).join("");
}

function printMap(map: Record<string, Expression>): string {
  const entries = Object.entries(map);
  if (entries.length === 0) return "";
  return ` {${entries.map(([k, v]) => `${printName(k)}: ${printExpression(v)}`).join(", ")}}`;
}

function printInt(v: IntOrParam): string {
  return typeof v === "number" ? String(v) : `$${v.param}`;
}

function printNode(n: NodePattern): string {
  return `(${n.variable !== undefined ? printName(n.variable) : ""}${printLabels(n.labels)}${printMap(n.properties)})`.replace("( {", "({");
}

function printRelationship(r: RelationshipPattern): string {
  let inner = r.variable !== undefined ? printName(r.variable) : "";
  if (r.types.length) inner += `:${r.types.map(printName).join("|")}`;
  if (r.length) {
    const { min, max } = r.length;
    if (max !== undefined && typeof min === "number" && typeof max === "number" && min === max) inner += `*${min}`;
    else inner += `*${min === 1 ? "" : printInt(min)}..${max === undefined ? "" : printInt(max)}`;
    if (inner.endsWith("*..")) inner = inner.slice(0, -2);
  }
  inner += printMap(r.properties).trimStart();
  const body = inner ? `-[${inner}]-` : "--";
  return r.direction === "out" ? `${body}>` : r.direction === "in" ? `<${body}` : body;
}

export function printQuery(model: QueryModel): string {
  const lines: string[] = [];
  for (const m of model.matches) {
    const patterns = m.patterns.map((p) => {
      let text = `${p.variable !== undefined ? `${printName(p.variable)} = ` : ""}${printNode(p.start)}`;
      for (const s of p.steps) text += printRelationship(s.relationship) + printNode(s.node);
      return text;
    });
    lines.push(`${m.optional ? "OPTIONAL " : ""}MATCH ${patterns.join(", ")}`);
    if (m.where) lines.push(`WHERE ${printExpression(m.where)}`);
  }
  const r = model.return;
  const items = r.star ? "*" : r.items.map((i) => printExpression(i.expression) + (i.alias !== undefined ? ` AS ${printName(i.alias)}` : "")).join(", ");
  lines.push(`RETURN ${r.distinct ? "DISTINCT " : ""}${items}`);
  if (r.orderBy.length) lines.push(`ORDER BY ${r.orderBy.map((o) => printExpression(o.expression) + (o.descending ? " DESC" : "")).join(", ")}`);
  if (r.skip !== undefined) lines.push(`SKIP ${printInt(r.skip)}`);
  if (r.limit !== undefined) lines.push(`LIMIT ${printInt(r.limit)}`);
  return lines.join("\n");
}
