import { describe, expect, it } from "vitest";
import { formatPurl, parsePurl } from "../../../shared/scanner/purl.js";

describe("purl", () => {
  it.each([
    [{ type: "npm", namespace: "@azure", name: "identity", version: "4.1.0" }, "pkg:npm/%40azure/identity@4.1.0"],
    [{ type: "deb", namespace: "debian", name: "libc6", version: "2.36-9+deb12u4", qualifiers: { distro: "debian-12", arch: "amd64", upstream: "glibc" } }, "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc"],
    [{ type: "deb", namespace: "debian", name: "bsdutils", version: "1:2.38.1-5" }, "pkg:deb/debian/bsdutils@1:2.38.1-5"],
    [{ type: "rpm", namespace: "redhat", name: "openssl", version: "3.0.7-25.el9", qualifiers: { epoch: "1", arch: "x86_64" } }, "pkg:rpm/redhat/openssl@3.0.7-25.el9?arch=x86_64&epoch=1"],
    [{ type: "maven", namespace: "org.apache.logging.log4j", name: "log4j-core", version: "2.14.1" }, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"],
    [{ type: "golang", namespace: "github.com/Azure/azure-sdk-for-go/sdk", name: "azcore", version: "v1.9.0" }, "pkg:golang/github.com/Azure/azure-sdk-for-go/sdk/azcore@v1.9.0"],
    [{ type: "PyPI", name: "Django_Rest.Framework", version: "3.14.0" }, "pkg:pypi/django-rest-framework@3.14.0"],
    [{ type: "nuget", name: "Newtonsoft.Json", version: "13.0.1" }, "pkg:nuget/Newtonsoft.Json@13.0.1"],
    [{ type: "generic", name: "a b", version: "1.0 beta", qualifiers: { "Download_URL": "https://x/y?z=1", empty: "" }, subpath: "/lib//x/" }, "pkg:generic/a%20b@1.0%20beta?download_url=https:%2F%2Fx%2Fy%3Fz%3D1#lib/x"],
  ])("formats %j", (parts, expected) => {
    expect(formatPurl(parts)).toBe(expected);
    // Round trip: parsing the string and formatting again is stable.
    const parsed = parsePurl(expected)!;
    expect(parsed).toBeDefined();
    expect(formatPurl(parsed)).toBe(expected);
  });

  it("parses the parts back", () => {
    expect(parsePurl("pkg:npm/%40angular/core@16.2.0?foo=b%26r#src/x")).toEqual({
      type: "npm",
      namespace: "@angular",
      name: "core",
      version: "16.2.0",
      qualifiers: { foo: "b&r" },
      subpath: "src/x",
    });
    expect(parsePurl("PKG:Maven/g/a")).toEqual({ type: "maven", namespace: "g", name: "a" });
    expect(parsePurl("pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5")?.version).toBe("7.88.1-10+deb12u5");
  });

  it("rejects non-purls without throwing", () => {
    for (const s of ["", "npm/foo", "pkg:", "pkg:npm", "pkg:/foo", "pkg:n%pm/x", "pkg:npm/@"]) expect(parsePurl(s)).toBeUndefined();
    expect(parsePurl("pkg:npm/%E0%A4%A@1")?.name).toBe("%E0%A4%A");
  });
});
