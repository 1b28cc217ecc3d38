import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { compare, parse } from "../../../shared/scanner/versions/deb.js";
import { requireTool } from "../../support/oracles.js";
import { expectLadder, expectPairs, expectTotalOnGarbage, pick, rng } from "./helpers.js";


describe("deb (dpkg ordering)", () => {
  it("splits epoch at the first colon and revision at the last hyphen", () => {
    expect(parse("1:2.3-4-5")).toEqual({ epoch: "1", upstream: "2.3-4", revision: "5" });
    expect(parse("2.30")).toEqual({ epoch: "0", upstream: "2.30", revision: "" });
    expect(parse("7:1:2-3")).toEqual({ epoch: "7", upstream: "1:2", revision: "3" });
  });

  it("orders the documented ladder (deb-version(7): ~~ < ~~a < ~ < empty < a; letters before symbols)", () => {
    expectLadder(compare, [
      "1.0~~",
      "1.0~~a",
      "1.0~",
      "1.0~rc1",
      "1.0~rc2",
      ["1.0", "0:1.0", "1.0-0", "00:1.0", " 1.0 "],
      "1.0-0.1",
      "1.0-1",
      "1.0-1+b1",
      "1.0-1.1",
      "1.0-2~bpo11+1",
      "1.0-2",
      "1.0-2+deb12u1",
      "1.0-10",
      "1.0a",
      "1.0+dfsg",
      ["1.0.0", "1.00.0"],
      "1.0.1",
      "1.2.3",
      "1.2.3+really1.2.2",
      "1.10",
      "2.0",
      "1:0.1",
      "2:0.0.1",
      "10:0",
    ]);
  });

  it("agrees with dpkg on field cases", () => {
    expectPairs(compare, [
      ["2.36-9+deb12u4", "<", "2.36-9+deb12u10"],
      ["1:1.0", ">", "2.0"],
      ["1.2.3+really1.2.2-1", ">", "1.2.3-1"],
      ["1.2.3+really1.2.2-1", "<", "1.2.4-1"],
      ["3.0.11-1~deb12u2", "<", "3.0.11-1"],
      ["3.0.11-1~deb12u2", ">", "3.0.11-1~deb12u1"],
      ["1.0-beta-1", ">", "1.0-1"],
      ["2.9.14+dfsg-1.3~deb12u1", "<", "2.9.14+dfsg-1.3"],
      ["1:9.18.28-1~deb12u2", ">", "9.99"],
      ["0.0", ">", "0"],
      ["1.001", "=", "1.1"],
      ["99999999999999999999", "<", "100000000000000000000"],
      ["1.0~", "<", "1.0"],
      ["1.0", "<", "1.0.0~"],
      ["a", "<", "b"],
      ["Z", "<", "a"],
      ["1.0-1ubuntu0.1", "<", "1.0-1ubuntu0.2"],
      ["2.35-0ubuntu3.6", "<", "2.35-0ubuntu3.10"],
    ]);
  });

  it("gives garbage a total order without throwing", () => {
    expectTotalOnGarbage(compare, ["x:1", "1:x", "1:-", "--"]);
  });

  it("matches `dpkg --compare-versions` on generated pairs", () => {
    requireTool("dpkg");
    const random = rng(20240607);
    const chars = ["0", "1", "2", "9", "10", "a", "b", "z", "A", "Z", ".", "+", "~", "~", "-"];
    const fragment = (allowHyphen: boolean): string => {
      let s = "";
      const n = 1 + Math.floor(random() * 6);
      for (let i = 0; i < n; i++) {
        const c = pick(random, chars);
        if (c === "-" && !allowHyphen) continue;
        s += c;
      }
      return s;
    };
    const version = (): string => {
      const epoch = random() < 0.2 ? `${pick(random, ["0", "1", "2", "10"])}:` : "";
      const withRevision = random() < 0.6;
      const upstream = pick(random, ["0", "1", "2", "10"]) + fragment(withRevision);
      return epoch + upstream + (withRevision ? `-${fragment(false) || "0"}` : "");
    };
    // Near-misses exercise the deeper branches: extend, truncate or tweak one side.
    const mutate = (v: string): string => {
      const r = random();
      if (r < 0.3) return v + pick(random, ["~", "a", "+", ".0", "0", "~rc1", "-1"]);
      if (r < 0.5) return v.slice(0, Math.max(1, v.length - 1));
      if (r < 0.7) return v.replace(/[0-9]/, pick(random, ["0", "3", "00"]));
      return version();
    };
    const pairs: [string, string][] = [];
    for (let i = 0; i < 200; i++) {
      const a = version();
      pairs.push([a, mutate(a)]);
    }
    const isValid = (v: string) => /^([0-9]+:)?[0-9][A-Za-z0-9.+~:-]*$/.test(v) && !/-$/.test(v) && (v.includes(":") ? /^[0-9]+:/.test(v) : true);
    const usable = pairs.filter(([a, b]) => isValid(a) && isValid(b));
    expect(usable.length).toBeGreaterThan(150);
    const script = usable
      .map(([a, b]) => `if dpkg --compare-versions '${a}' lt '${b}'; then echo -1; elif dpkg --compare-versions '${a}' eq '${b}'; then echo 0; else echo 1; fi`)
      .join("\n");
    const got = execFileSync("bash", ["-c", script], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim().split("\n");
    const mismatches = usable.map(([a, b], i) => ({ a, b, dpkg: Number(got[i]), ours: compare(a, b) })).filter((r) => r.dpkg !== r.ours);
    expect(mismatches).toEqual([]);
  });
});
