// App settings as infra/ declares them: every `KEY: value` inside the Bicep objects that become the
// Function App's settings (functionapp.bicep's *Settings variables, main.bicep's appSettings
// argument). Literal values are returned as strings; expressions as { expression }.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type SettingValue = string | { expression: string };

const INFRA = join(import.meta.dirname, "../../infra");

/** Index just past the Bicep string starting at text[i] === "'" (interpolations may nest strings). */
function skipString(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "'") return i + 1;
    else if (text.startsWith("${", i)) i = skipExpression(text, i + 2) - 1;
  }
  throw new Error("unterminated string in Bicep");
}

/** Index just past the "}" closing an expression that starts at i (inside "${"). */
function skipExpression(text: string, i: number): number {
  let depth = 1;
  while (i < text.length) {
    if (text[i] === "'") i = skipString(text, i);
    else if (text[i] === "}" && --depth === 0) return i + 1;
    else {
      if (text[i] === "{") depth++;
      i++;
    }
  }
  throw new Error("unbalanced braces in Bicep");
}

/** The text of the `{ … }` block that starts at the first "{" at or after `from` (strings and comments respected). */
function block(text: string, from: number): string {
  const start = text.indexOf("{", from);
  let depth = 0;
  for (let i = start; i < text.length; ) {
    if (text[i] === "'") i = skipString(text, i);
    else if (text.startsWith("//", i)) i = text.indexOf("\n", i) < 0 ? text.length : text.indexOf("\n", i);
    else if (text[i] === "}" && --depth === 0) return text.slice(start + 1, i);
    else {
      if (text[i] === "{") depth++;
      i++;
    }
  }
  throw new Error("unbalanced braces in Bicep");
}

function entries(body: string): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = {};
  for (const line of body.split("\n")) {
    if (/^\s*\/\//.test(line)) continue;
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.+?)\s*$/.exec(line);
    if (!m) continue;
    const literal = /^'((?:[^'\\]|\\.)*)'$/.exec(m[2]);
    out[m[1]] = literal ? literal[1] : { expression: m[2] };
  }
  return out;
}

export function bicepAppSettings(): Record<string, SettingValue> {
  const app = readFileSync(join(INFRA, "modules/functionapp.bicep"), "utf8");
  const main = readFileSync(join(INFRA, "main.bicep"), "utf8");
  const out: Record<string, SettingValue> = {};
  for (const m of app.matchAll(/^var (\w+Settings) = /gm)) Object.assign(out, entries(block(app, m.index! + m[0].length)));
  const at = main.indexOf("appSettings: {");
  if (at < 0) throw new Error("main.bicep passes no appSettings to the app module");
  Object.assign(out, entries(block(main, at)));
  return out;
}

/** The names functionapp.bicep unions into the appsettings resource, to prove the parse sees them all. */
export function bicepSettingsSources(): string[] {
  const app = readFileSync(join(INFRA, "modules/functionapp.bicep"), "utf8");
  const m = /name: 'appsettings'\s*\n\s*properties: union\(([^)]*)\)/.exec(app);
  if (!m) throw new Error("functionapp.bicep: appsettings properties are not a union(...) of settings objects");
  return m[1].split(",").map((s) => s.trim());
}
