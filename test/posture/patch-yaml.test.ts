// The fix patches' YAML emitter: whatever it writes reads back as the same value through a real
// YAML parser (in YAML 1.2 and, for the strings a 1.1 reader would retype, in 1.1 too), and typical
// patches look exactly as the `yaml` library lays them out.
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { toYaml } from "../../shared/posture/patch-yaml.js";

const TRICKY = [
  "", " ", "true", "False", "NULL", "~", "yes", "No", "on", "OFF", "y", "n", "1", "-1", "1.30", "1e3", ".5", "0x1F", "0o17", "1_000", ".inf", "-.inf", ".nan",
  "500m", "256Mi", "RuntimeDefault", "a: b", "a #b", "#x", "- x", "[x]", "{x}", "*alias", "&anchor", "!tag", "|", ">", "'q'", '"q"', "%x", "@x", "`x",
  "line\nbreak", "tab\there", "ünïcode", "trailing ", " leading", "x:", "registry.io/team/app:1.2", "contoso.azurecr.io/shop/api@sha256:abc", "a,b", "?x", "=",
];

describe("patch YAML", () => {
  it("every tricky string reads back as itself, as a value and as a key", () => {
    for (const s of TRICKY) {
      const doc = { spec: { containers: [{ name: s, env: [s, { [s]: s }], n: 3, b: false, z: null }] } };
      expect(parse(toYaml(doc))).toEqual(doc);
      expect(parse(toYaml(doc), { version: "1.1" })).toEqual(doc);
    }
  });

  it("random strings and shapes read back as themselves", () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const alphabet = "abcXYZ019 :-#&*!|>'\"%@`,[]{}?.=_/\\\n\tü~";
    const str = () => Array.from({ length: rnd(8) }, () => alphabet[rnd(alphabet.length)]).join("");
    const value = (depth: number): unknown => {
      const k = rnd(depth > 3 ? 4 : 7);
      if (k === 0) return str();
      if (k === 1) return rnd(1000) - 500;
      if (k === 2) return rnd(2) === 0;
      if (k === 3) return null;
      if (k === 4) return Array.from({ length: rnd(4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: rnd(4) }, () => [str(), value(depth + 1)]));
    };
    for (let i = 0; i < 500; i++) {
      const v = value(0);
      expect(parse(toYaml(v))).toEqual(v);
    }
  });

  it("lays patches out as the yaml library does", () => {
    const patch = { spec: { template: { spec: { containers: [{ name: "api", securityContext: { privileged: false, capabilities: { drop: ["ALL"], add: [] } }, resources: { limits: { cpu: "500m", memory: "256Mi" } } }], volumes: [] } } } };
    expect(toYaml(patch)).toBe(stringify(patch).trimEnd());
  });
});
