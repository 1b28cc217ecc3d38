// Control stanzas (dpkg status, Python METADATA headers): the line scanner must read exactly what
// the plain split-and-trim reading of the format reads, on real files and on seeded odd input.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseStanzas } from "../../../shared/scanner/catalogers/util.js";
import { prng } from "./helpers.js";

/** The format read line by line, as written down: the reference the scanner is held to. */
function reference(text: string, maxStanzas = Infinity): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  let cur = new Map<string, string>();
  let lastKey: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") {
      if (cur.size) out.push(cur);
      if (out.length >= maxStanzas) return out;
      cur = new Map();
      lastKey = undefined;
      continue;
    }
    if ((line[0] === " " || line[0] === "\t") && lastKey !== undefined) {
      const prev = cur.get(lastKey) ?? "";
      if (prev.length < 4096) cur.set(lastKey, prev + "\n" + line.trim());
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    lastKey = line.slice(0, colon).trim();
    if (!cur.has(lastKey)) cur.set(lastKey, line.slice(colon + 1).trim());
  }
  if (cur.size) out.push(cur);
  return out;
}

const entries = (maps: Map<string, string>[]) => maps.map((m) => [...m]);
const LINES = ["Package: a", "Package: b", "Version: 1:2.3-4", " continued", "\t tabbed", "", "   ", "\t", "\r", "no colon here", ":leading colon", "Key:", " : odd", "Description: text", " Package: not-a-field", "\u00a0", "\u00a0Key: nbsp", "Ünïcode: välue", "Status: install ok installed", "Source: src (1.0)", "x".repeat(5000), " more " + "y".repeat(5000)];

describe("control stanzas", () => {
  it("reads seeded odd input exactly as the line-by-line reading does, with \\n and \\r\\n", () => {
    const rnd = prng(0x57a2);
    for (let i = 0; i < 400; i++) {
      const n = 1 + Math.floor(rnd() * 40);
      const lines = Array.from({ length: n }, () => LINES[Math.floor(rnd() * LINES.length)]!);
      const text = lines.map((l) => l + (rnd() < 0.3 ? "\r\n" : "\n")).join("").slice(0, rnd() < 0.5 ? undefined : -1);
      expect(entries(parseStanzas(text)), JSON.stringify(text.slice(0, 300))).toEqual(entries(reference(text)));
      expect(entries(parseStanzas(text, 2)).length).toBe(Math.min(2, reference(text).length));
    }
  });

  it("keeps only the asked-for fields; the others' continuation lines are not read as fields", () => {
    const text = "Package: a\nDescription: d\n Package: evil\n Version: 9\nVersion: 1\n\nDescription: only\n\nPackage: b\n";
    const only = new Set(["Package", "Version"]);
    expect(entries(parseStanzas(text, undefined, only))).toEqual([[["Package", "a"], ["Version", "1"]], [], [["Package", "b"]]]);
    // A stanza none of whose fields is kept still counts towards the cap.
    expect(parseStanzas(text, 2, only)).toHaveLength(2);
  });

  it.skipIf(!existsSync("/var/lib/dpkg/status"))("this machine's dpkg status: the kept fields are the full reading's", () => {
    const text = readFileSync("/var/lib/dpkg/status", "utf8");
    const only = new Set(["Package", "Version", "Status", "Architecture", "Source"]);
    const full = reference(text);
    expect(entries(parseStanzas(text))).toEqual(entries(full));
    expect(entries(parseStanzas(text, undefined, only))).toEqual(full.map((m) => [...m].filter(([k]) => only.has(k))));
  });
});
