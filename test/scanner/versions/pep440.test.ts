import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { compare, parse } from "../../../shared/scanner/versions/pep440.js";
import { DEBIAN_PYTHON, requireTool } from "../../support/oracles.js";
import { expectLadder, expectPairs, expectTotalOnGarbage, pick, rng } from "./helpers.js";


describe("pep440 (PyPI)", () => {
  it("orders PEP 440's summary example", () => {
    expectLadder(compare, [
      "1.0.dev456",
      "1.0a1",
      "1.0a2.dev456",
      "1.0a12.dev456",
      "1.0a12",
      "1.0b1.dev456",
      "1.0b2",
      "1.0b2.post345.dev456",
      "1.0b2.post345",
      "1.0rc1.dev456",
      "1.0rc1",
      "1.0",
      "1.0+abc.5",
      "1.0+abc.7",
      "1.0+5",
      "1.0.post456.dev34",
      "1.0.post456",
      "1.0.15",
      "1.1.dev1",
      "1!0.1",
    ]);
  });

  it("normalizes alternate spellings", () => {
    expectLadder(compare, [
      "not a version",
      ["1.0.dev0", "1.0.dev", "1.0-dev0", "1.0_dev"],
      ["1.0a1", "1.0alpha1", "1.0-a1", "1.0.a.1", "1.0A1", "1.0a.1"],
      ["1.0a2", "1.0-alpha-2", "1.0_alpha_2"],
      ["1.0b0", "1.0b", "1.0beta", "1.0-beta.0"],
      ["1.0rc1", "1.0c1", "1.0pre1", "1.0preview1", "1.0-rc.1", "1.0RC1"],
      ["1", "1.0", "1.0.0", "v1.0", "V1.0.0", "0!1.0", " 1.0 "],
      ["1.0+ubuntu-1", "1.0+ubuntu.1", "1.0+UBUNTU_1"],
      ["1.0.post0", "1.0.post", "1.0post0", "1.0-post"],
      ["1.0.post1", "1.0-1", "1.0post1", "1.0.r1", "1.0rev1", "1.0-r-1"],
      "1.0.1",
    ]);
  });

  it("parses into the PEP 440 parts", () => {
    expect(parse("2!1.2.0rc3.post4.dev5+Local.7")).toEqual({
      epoch: "2",
      release: ["1", "2"],
      pre: { rank: 2, n: "3" },
      post: "4",
      dev: "5",
      local: ["local", "7"],
    });
    expect(parse("1.0-")).toBeUndefined();
  });

  it("agrees with pip on field cases", () => {
    expectPairs(compare, [
      ["2.31.0", "<", "2.32.0"],
      ["1.26.18", "<", "1.26.19"],
      ["3.0.0b1", "<", "3.0.0"],
      ["42.0.0", ">", "41.0.7"],
      ["2.0.0.dev0", "<", "2.0.0a0"],
      ["1.0.post1.dev1", "<", "1.0.post1"],
      ["1.0.post1.dev1", ">", "1.0"],
      ["1.0+1", ">", "1.0+a"], // numeric local segments after alphanumeric ones
      ["1.0+1.1", ">", "1.0+1"],
      ["99999999999999999999", "<", "100000000000000000000"],
    ]);
  });

  it("gives garbage a total order without throwing", () => {
    expectTotalOnGarbage(compare, ["1.0+", "1!", "!1", "1.0a1b2"]);
  });

  it("matches python's packaging.version on generated pairs", () => {
    requireTool("python3-packaging");
    const random = rng(440);
    const v = (): string => {
      let s = random() < 0.1 ? `${pick(random, ["0", "1", "2"])}!` : "";
      s += [pick(random, ["0", "1", "2"]), ...(random() < 0.7 ? [pick(random, ["0", "1", "10"])] : []), ...(random() < 0.3 ? ["0"] : [])].join(".");
      if (random() < 0.4) s += pick(random, ["a", "b", "rc", "c", "alpha", "-beta", ".pre", "preview"]) + pick(random, ["", "0", "1", "2"]);
      if (random() < 0.3) s += pick(random, [".post", "-", "post", ".r", "rev"]) + pick(random, ["1", "2", "0"]);
      if (random() < 0.3) s += pick(random, [".dev", "dev", "-dev"]) + pick(random, ["", "0", "3"]);
      if (random() < 0.2) s += "+" + pick(random, ["1", "abc", "abc.1", "1.abc", "ubuntu-2", "2"]);
      return s;
    };
    const pairs = Array.from({ length: 400 }, () => [v(), v()] as const);
    const script =
      "import json,sys\nfrom packaging.version import Version\nfor a,b in json.load(sys.stdin):\n a,b=Version(a),Version(b)\n print((a>b)-(a<b))";
    const out = execFileSync(DEBIAN_PYTHON, ["-c", script], { input: JSON.stringify(pairs), encoding: "utf8" }).trim().split("\n").map(Number);
    const mismatches = pairs.map(([a, b], i) => ({ a, b, packaging: out[i], ours: compare(a, b) })).filter((r) => r.packaging !== r.ours);
    expect(mismatches).toEqual([]);
  });
});
