// Orchestrators replay: their bodies must not read the clock, randomness, the environment or do I/O
// (activities do). Every generator function in shared/workflows/ is checked with the TypeScript
// parser, together with the same-module helpers it calls; calls into other modules are allowed only
// into the pure modules listed below. A fixture with each forbidden construct proves the check bites.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ORCHESTRATIONS } from "../../shared/workflows/names.js";

const WORKFLOWS = join(import.meta.dirname, "../../shared/workflows");
/** Modules an orchestrator may call into: names, instance ids, id parsing, errors — no I/O, no clock. */
const PURE_MODULES = ["durable-functions", "./names.js", "./instance-ids.js", "../azure/ids.js", "../errors.js"];
const GLOBALS = new Set(["fetch", "setTimeout", "setInterval", "setImmediate", "queueMicrotask", "require", "services"]);
const OBJECTS: Record<string, string> = { Date: "the clock", Math: "Math.random", process: "the environment", performance: "the clock", crypto: "randomness" };

interface Violation { where: string; what: string }

function orchestratorViolations(fileName: string, text: string, found: string[] = []): Violation[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const imports = new Map<string, string>(); // local name → module
  const locals = new Map<string, ts.Node>(); // module-level functions by name
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && st.importClause && !st.importClause.isTypeOnly) {
      const mod = (st.moduleSpecifier as ts.StringLiteral).text;
      const c = st.importClause;
      if (c.name) imports.set(c.name.text, mod);
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) imports.set(nb.name.text, mod);
      if (nb && ts.isNamedImports(nb)) for (const e of nb.elements) if (!e.isTypeOnly) imports.set(e.name.text, mod);
    }
    if (ts.isFunctionDeclaration(st) && st.name && st.body) locals.set(st.name.text, st);
    if (ts.isVariableStatement(st))
      for (const d of st.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.initializer && (ts.isFunctionExpression(d.initializer) || ts.isArrowFunction(d.initializer))) locals.set(d.name.text, d.initializer);
  }
  const orchestrators = [...locals.entries()].filter(([, n]) => (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n)) && n.asteriskToken && !n.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword));
  const out: Violation[] = [];
  const checked = new Set<ts.Node>();
  const check = (root: string, fn: ts.Node) => {
    if (checked.has(fn)) return;
    checked.add(fn);
    const visit = (node: ts.Node) => {
      const where = `${root} (${fileName}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1})`;
      if (ts.isAwaitExpression(node)) out.push({ where, what: "await (I/O)" });
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "Date" && !node.arguments?.length) out.push({ where, what: "new Date()" });
      if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text in OBJECTS) {
        const name = `${node.expression.text}.${node.name.text}`;
        if (name !== "Math.max" && name !== "Math.min" && name !== "Math.floor" && name !== "Math.ceil" && name !== "Math.round" && name !== "Date.UTC" && name !== "Date.parse")
          out.push({ where, what: `${name} (${OBJECTS[node.expression.text]})` });
      }
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
        const name = node.expression.text;
        if (GLOBALS.has(name)) out.push({ where, what: `${name}() (I/O)` });
        else if (imports.has(name) && !PURE_MODULES.includes(imports.get(name)!)) out.push({ where, what: `${name}() from ${imports.get(name)} (not a pure module)` });
        else if (locals.has(name)) check(root, locals.get(name)!);
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression)) {
        const ns = node.expression.expression.text;
        if (imports.has(ns) && !PURE_MODULES.includes(imports.get(ns)!)) out.push({ where, what: `${ns}.${node.expression.name.text}() from ${imports.get(ns)} (not a pure module)` });
      }
      ts.forEachChild(node, visit);
    };
    visit(fn);
  };
  for (const [name, fn] of orchestrators) {
    found.push(name);
    check(name, fn);
  }
  return out;
}

describe("orchestrator determinism", () => {
  it("finds no clock, randomness, environment or I/O in any orchestrator of shared/workflows", () => {
    const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith(".ts"));
    const found: string[] = [];
    const violations: Violation[] = [];
    for (const f of files) violations.push(...orchestratorViolations(`shared/workflows/${f}`, readFileSync(resolve(WORKFLOWS, f), "utf8"), found));
    expect(found).toEqual(expect.arrayContaining(Object.values(ORCHESTRATIONS)));
    expect(violations).toEqual([]);
  });

  it("flags each forbidden construct, in the orchestrator and in the helpers it calls", () => {
    const fixture = `
import * as df from "durable-functions";
import { readFile } from "node:fs/promises";
import { services } from "./services.js";
import { ACTIVITIES } from "./names.js";
function stamp() { return Date.now(); }
export const orch = function* (context) {
  const a = new Date();
  const b = Math.random();
  const c = process.env.X;
  const d = readFile("x");
  const e = services().storage;
  const f = stamp();
  const ok = new Date(context.df.currentUtcDateTime);
  const n = Math.max(1, 2);
  yield context.df.callActivity(ACTIVITIES.x, new df.RetryOptions(1, 1));
};
async function activity() { await fetch("x"); return Date.now(); }
`;
    const what = orchestratorViolations("fixture.ts", fixture).map((v) => v.what);
    expect(what).toEqual([
      "new Date()",
      "Math.random (Math.random)",
      "process.env (the environment)",
      "readFile() from node:fs/promises (not a pure module)",
      "services() (I/O)",
      "Date.now (the clock)",
    ]);
  });
});
