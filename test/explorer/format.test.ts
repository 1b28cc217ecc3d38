import { describe, expect, it } from "vitest";
import { decodeShareLink, encodeShareLink, toCsv, toTable } from "../../shared/explorer/index.js";
import { InputError } from "../../shared/errors.js";

describe("toCsv", () => {
  it("quotes per RFC 4180 and ends lines with CRLF", () => {
    const csv = toCsv({
      columns: ["id", "note, with comma", "q"],
      rows: [
        ["pod:a", 'say "hi"', "line1\nline2"],
        [null, 3, true],
        [["x", "y"], { a: 1 }, " padded "],
      ],
    });
    expect(csv).toBe(
      'id,"note, with comma",q\r\n' + 'pod:a,"say ""hi""","line1\nline2"\r\n' + ",3,true\r\n" + 'x; y,"{""a"":1}"," padded "\r\n',
    );
  });

  it("writes just the header for no rows", () => {
    expect(toCsv({ columns: ["a", "b"], rows: [] })).toBe("a,b\r\n");
  });
});

describe("toTable", () => {
  it("aligns columns and reports row count and truncation", () => {
    const table = toTable({ columns: ["pod", "n"], rows: [["pod:shop/web", 2], ["pod:x", null]], truncated: true });
    expect(table).toBe(["pod           n", "------------  -", "pod:shop/web  2", "pod:x", "(2 rows, truncated)", ""].join("\n"));
    expect(toTable({ columns: ["a"], rows: [["x"]], truncated: false })).toMatch(/\(1 row\)\n$/);
  });
});

describe("share links", () => {
  const query = 'MATCH (p:Pod {namespace: "shop"})\nWHERE p.name STARTS WITH "wéb/+?" RETURN p';

  it("round-trips a query through base64url in the dashboard fragment", () => {
    const link = encodeShareLink(query, "http://127.0.0.1:7071/");
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:7071\/#explorer\?q=[A-Za-z0-9_-]+$/);
    expect(decodeShareLink(link)).toBe(query);
    expect(encodeShareLink("RETURN 1")).toBe(`/#explorer?q=${Buffer.from("RETURN 1").toString("base64url")}`);
    expect(decodeShareLink(link.slice(link.indexOf("#")))).toBe(query);
    expect(decodeShareLink(link.slice(link.indexOf("q=") + 2))).toBe(query);
    // A base URL that already carries a fragment is replaced, not appended to.
    expect(encodeShareLink("RETURN 1", "https://x.example/app/#explorer?q=old")).toBe(`https://x.example/app/#explorer?q=${Buffer.from("RETURN 1").toString("base64url")}`);
  });

  it("rejects links that are not explorer links", () => {
    expect(() => decodeShareLink("https://x.example/#explorer?q=")).toThrow(InputError);
    expect(() => decodeShareLink("not a link!")).toThrow(/not an explorer share link/);
  });
});
