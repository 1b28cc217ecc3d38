// infra/ declares the same role permissions as the code. No bicep CLI here, so the Bicep text is
// parsed: comments stripped, roleDefinitions resource blocks located by brace matching (strings
// respected), and the `actions` / `dataActions` arrays read as lists of single-quoted strings.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DATA_READ_ACTIONS, DATA_READ_ROLE_NAME, OPERATOR_ROLE_ACTIONS, OPERATOR_ROLE_NAME } from "../../shared/azure/permissions.js";
import { COLLECTED_RESOURCES } from "../../shared/kubernetes/collect/resources.js";

interface BicepRole {
  symbol: string;
  roleName?: string;
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

/** Replaces comments with spaces, keeping strings ('…' with \' escapes and '''…''' blocks) intact. */
function stripComments(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; ) {
    if (text.startsWith("'''", i)) {
      const end = text.indexOf("'''", i + 3);
      const stop = end < 0 ? text.length : end + 3;
      out += text.slice(i, stop);
      i = stop;
    } else if (text[i] === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== "'") j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (text.startsWith("//", i)) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
      out += " ";
    } else {
      out += text[i++];
    }
  }
  return out;
}

/** Index just past the bracket closing the one at `open` (strings skipped). */
function matchingClose(text: string, open: number): number {
  const pairs: Record<string, string> = { "{": "}", "[": "]", "(": ")" };
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      i++;
      while (i < text.length && text[i] !== "'") i += text[i] === "\\" ? 2 : 1;
    } else if (pairs[c]) stack.push(pairs[c]!);
    else if (c === stack.at(-1)) {
      stack.pop();
      if (stack.length === 0) return i + 1;
    }
  }
  throw new Error(`unbalanced bracket at ${open}`);
}

function stringsIn(arrayText: string): string[] {
  const inner = arrayText.slice(1, -1);
  const leftover = inner.replace(/'((?:[^'\\]|\\.)*)'/g, "").replace(/[\s,]/g, "");
  if (leftover) throw new Error(`array holds non-literal items: ${leftover}`);
  return [...inner.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]!.replace(/\\(.)/g, "$1"));
}

function arrayAt(block: string, key: string): string[] {
  const m = new RegExp(`(?<![A-Za-z0-9_])${key}\\s*:\\s*\\[`).exec(block);
  if (!m) return [];
  const open = m.index + m[0].length - 1;
  return stringsIn(block.slice(open, matchingClose(block, open)));
}

export function parseBicepRoles(source: string): BicepRole[] {
  const text = stripComments(source);
  const roles: BicepRole[] = [];
  for (const m of text.matchAll(/resource\s+(\w+)\s+'Microsoft\.Authorization\/roleDefinitions@[^']+'\s*=\s*(?:if\s*\([^)]*\)\s*)?\{/g)) {
    const open = m.index! + m[0].length - 1;
    const block = text.slice(open, matchingClose(text, open));
    roles.push({
      symbol: m[1]!,
      roleName: /roleName\s*:\s*'((?:[^'\\]|\\.)*)'/.exec(block)?.[1],
      actions: arrayAt(block, "actions"),
      notActions: arrayAt(block, "notActions"),
      dataActions: arrayAt(block, "dataActions"),
      notDataActions: arrayAt(block, "notDataActions"),
    });
  }
  return roles;
}

function bicepFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? bicepFiles(join(dir, e.name)) : e.name.endsWith(".bicep") ? [join(dir, e.name)] : [],
  );
}

const infraRoles = bicepFiles(join(import.meta.dirname, "../../infra")).flatMap((f) => parseBicepRoles(readFileSync(f, "utf8")));
const sorted = (xs: readonly string[]) => [...xs].sort();

describe("infra/ custom roles", () => {
  it("declares exactly the two Vantage roles", () => {
    expect(infraRoles.map((r) => r.roleName).sort()).toEqual([DATA_READ_ROLE_NAME, OPERATOR_ROLE_NAME].sort());
  });

  it("gives the operator role exactly OPERATOR_ROLE_ACTIONS", () => {
    const role = infraRoles.find((r) => r.roleName === OPERATOR_ROLE_NAME)!;
    expect(sorted(role.actions)).toEqual(sorted(OPERATOR_ROLE_ACTIONS));
    expect(new Set(role.actions).size).toBe(role.actions.length);
    expect([role.notActions, role.dataActions, role.notDataActions]).toEqual([[], [], []]);
  });

  it("gives the data role exactly DATA_READ_ACTIONS, none touching Secrets", () => {
    const role = infraRoles.find((r) => r.roleName === DATA_READ_ROLE_NAME)!;
    expect(sorted(role.dataActions)).toEqual(sorted(DATA_READ_ACTIONS));
    expect(new Set(role.dataActions).size).toBe(role.dataActions.length);
    expect(role.actions).toEqual([]);
    expect(role.dataActions.filter((a) => /secret|\*/i.test(a))).toEqual([]);
  });
});

describe("the Bicep role parser", () => {
  const sample = `
    // resource fake 'Microsoft.Authorization/roleDefinitions@2022-04-01' = { actions: ['commented/out'] }
    resource r 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
      name: guid('x')
      properties: {
        roleName: 'Sample \\'quoted\\''
        description: 'braces } and [ in strings'
        permissions: [
          {
            actions: [ 'A/read', 'B/write' /* inline */
              'C/delete' // trailing
            ]
            notActions: []
            dataActions: ['D/read']
          }
        ]
      }
    }`;

  it("reads multi-line and comma-separated arrays, skipping comments and string contents", () => {
    expect(parseBicepRoles(sample)).toEqual([
      { symbol: "r", roleName: "Sample \\'quoted\\'", actions: ["A/read", "B/write", "C/delete"], notActions: [], dataActions: ["D/read"], notDataActions: [] },
    ]);
  });

  it("notices a drift between Bicep and the code", () => {
    const drifted = sample.replace("'B/write'", "'B/write'\n'Microsoft.ContainerService/managedClusters/secrets/read'");
    expect(parseBicepRoles(drifted)[0]!.actions).toContain("Microsoft.ContainerService/managedClusters/secrets/read");
    expect(() => parseBicepRoles(sample.replace("'C/delete'", "variableRef"))).toThrow(/non-literal/);
  });
});

describe("data-plane role versus the snapshot collector", () => {
  it("grants read on exactly the kinds the collector lists, never Secrets or ConfigMaps", () => {
    const wanted = COLLECTED_RESOURCES.filter((r) => r.kind !== "Secret").map(
      (r) => `Microsoft.ContainerService/managedClusters/${r.group ? `${r.group}/` : ""}${r.plural}/read`,
    );
    expect([...DATA_READ_ACTIONS].sort()).toEqual([...new Set(wanted)].sort());
    expect(DATA_READ_ACTIONS.some((a) => /secrets|configmaps|\*/.test(a))).toBe(false);
  });
});
