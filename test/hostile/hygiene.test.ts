// Malformed principals, pathological queries, unknown filter values and formula-like CSV cells get
// clear 4xx answers or neutral output, never a 500.
import { describe, expect, it } from "vitest";
import { RequestError } from "../../shared/errors.js";
import { parseQuery, toCsv } from "../../shared/explorer/index.js";
import { callerIds } from "../../shared/workflows/access.js";
import type { Dependencies } from "../../shared/workflows/dependencies.js";
import { listAttackPaths } from "../../shared/workflows/read-model.js";
import { notChain } from "./generators.js";

const headers = (principal: string) => ({ get: (n: string) => (n === "x-ms-client-principal" ? principal : null) });
const b64 = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64");

function statusOf(run: () => unknown): number | string {
  try {
    run();
    return "ok";
  } catch (err) {
    return err instanceof RequestError ? err.status : `${(err as Error).name}: ${(err as Error).message}`;
  }
}

describe("hygiene", () => {
  it("answers 401 for every malformed x-ms-client-principal", () => {
    for (const bad of ["%%%", b64("not json"), b64("null"), b64("[]"), b64({ claims: 5 }), b64({ claims: [null] }), b64({ claims: [{ typ: 1, val: "x" }] }), b64({ claims: [{ typ: "oid", val: {} }] })]) {
      expect(statusOf(() => callerIds(headers(bad))), bad).toBe(401);
    }
    expect(callerIds(headers(b64({ claims: [{ typ: "oid", val: "ABC" }, { typ: "groups", val: "g1" }, { typ: "name", val: "n" }] })))).toEqual(["abc", "g1"]);
  });

  it("answers 400 for a 2,000× NOT chain and other pathological nesting", () => {
    expect(statusOf(() => parseQuery(notChain(2000)))).toBe(400);
    expect(statusOf(() => parseQuery(`MATCH (p:Pod) RETURN ${"-".repeat(2000)}1`))).toBe(400);
    expect(statusOf(() => parseQuery(`MATCH (p:Pod) WHERE ${Array(3000).fill("p.x = 1").join(" OR ")} RETURN p`))).toBe(400);
    expect(statusOf(() => parseQuery(notChain(10)))).toBe("ok");
  });

  it("refuses unknown filter values before reading any storage", async () => {
    // No storage at all: the filter is checked first.
    await expect(listAttackPaths({} as Dependencies, { risk: "bogus" })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/unknown risk "bogus" \(expected one of critical, high, medium, low\)/) });
  });

  it("neutralises CSV cells a spreadsheet would run as formulas", () => {
    const csv = toCsv({ columns: ["=cmd", "n"], rows: [["=HYPERLINK(\"http://x\")", -5], ["+1", "@SUM(A1)"], ["-2+3", "\tx"], ["safe", 3]] });
    expect(csv.split("\r\n")).toEqual(["'=cmd,n", `"'=HYPERLINK(""http://x"")",-5`, "'+1,'@SUM(A1)", `'-2+3,'\tx`, "safe,3", ""]);
  });
});
