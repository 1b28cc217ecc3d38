// The generated parts of docs/ match the code: adding a technique, node kind or structural edge
// without `npm run docs` fails here.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GENERATED, regenerate, repositoryFile } from "../../scripts/docs.js";
import { TECHNIQUES } from "../../shared/graph/edges/index.js";

describe("generated docs", () => {
  for (const file of new Set(GENERATED.map((b) => b.file))) {
    it(`${file} is up to date (npm run docs)`, () => {
      const text = readFileSync(repositoryFile(file), "utf8");
      expect(regenerate(file, text)).toBe(text);
    });
  }

  it("lists every technique with its precondition", () => {
    const text = readFileSync(repositoryFile("docs/graph.md"), "utf8");
    for (const t of TECHNIQUES) expect(text).toContain(`| \`${t.kind}\` | ${t.source} |`);
  });
});
