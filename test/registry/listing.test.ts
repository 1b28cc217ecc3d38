// Registry inventory listings: Link paging against the real Distribution registry, and the ACR
// data-plane bodies and Link headers parsed as the ACR REST API documents them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegistryClient } from "../../shared/registry/index.js";
import { nextLink, parseAcrManifests, parseRepositories, parseTags } from "../../shared/registry/listing.js";
import { buildImage, pushImage } from "../../demo/runtime/images/index.js";
import { registryAvailable, startRegistry, type RegistryHandle } from "../../demo/runtime/registry/distribution.js";

async function all<T>(pages: AsyncGenerator<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

describe("Link headers and listing bodies", () => {
  it("finds rel=next among several links, quoted or not", () => {
    expect(nextLink('</v2/_catalog?last=b&n=2>; rel="next"')).toBe("/v2/_catalog?last=b&n=2");
    expect(nextLink('<https://r.io/a?x=1>; rel="prev", </acr/v1/_catalog?last=shop%2Fcart&n=100&orderby=>; rel=next')).toBe("/acr/v1/_catalog?last=shop%2Fcart&n=100&orderby=");
    expect(nextLink('</x>; rel="last"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });

  it("reads repositories, tags (null for none) and ACR manifests with their update times", () => {
    expect(parseRepositories(Buffer.from('{"repositories":["shop/cart","ml/inference"]}'), "x")).toEqual(["shop/cart", "ml/inference"]);
    expect(parseTags(Buffer.from('{"name":"empty","tags":null}'), "x")).toEqual([]);
    const body = {
      registry: "vantagedemo.azurecr.io",
      imageName: "shop/cart",
      manifests: [
        { digest: "sha256:" + "a".repeat(64), imageSize: 1234, createdTime: "2026-11-30T10:00:00.0000000Z", lastUpdateTime: "2026-12-01T10:00:00.0000000Z", architecture: "amd64", os: "linux", mediaType: "application/vnd.oci.image.manifest.v1+json", tags: ["2.0.1"] },
        { digest: "not-a-digest", tags: ["x"] },
      ],
    };
    expect(parseAcrManifests(Buffer.from(JSON.stringify(body)), "x")).toEqual([
      { digest: "sha256:" + "a".repeat(64), tags: ["2.0.1"], createdTime: "2026-11-30T10:00:00.0000000Z", lastUpdateTime: "2026-12-01T10:00:00.0000000Z", mediaType: "application/vnd.oci.image.manifest.v1+json" },
    ]);
    expect(() => parseRepositories(Buffer.from("<html>"), "catalog")).toThrow(/catalog: response is not a JSON object/);
  });
});

describe.runIf(registryAvailable())("paging a real Distribution registry", () => {
  let reg: RegistryHandle;
  beforeAll(async () => {
    reg = await startRegistry();
    const client = new RegistryClient(reg.host);
    const img = await buildImage([{ files: [{ path: "etc/os-release", content: "ID=debian\nVERSION_ID=12\n" }] }]);
    for (const repo of ["a/one", "b/two", "c/three", "d/four", "e/five"]) await pushImage(client, repo, "v1", img);
    for (const tag of ["v2", "v3", "v4"]) await pushImage(client, "a/one", tag, img);
  });
  afterAll(() => reg?.stop());

  it("follows Link rel=next through /v2/_catalog and tags/list pages of two", async () => {
    const client = new RegistryClient(reg.host);
    const pages: string[][] = [];
    for await (const page of client.listRepositories(2)) pages.push(page);
    expect(pages.length).toBe(3);
    expect(pages.flat()).toEqual(["a/one", "b/two", "c/three", "d/four", "e/five"]);
    expect((await all(client.listTags("a/one", 2))).sort()).toEqual(["v1", "v2", "v3", "v4"]);
  });
});
