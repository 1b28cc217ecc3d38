import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { decompress } from "fzstd";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acrExchangeForm,
  exchangeAcrToken,
  parseChallenges,
  parseManifest,
  parsePlatform,
  parseReference,
  parseRetryAfter,
  retryDelay,
  selectPlatform,
  DEFAULT_RETRY,
  sha256Digest,
  type ImageIndex,
} from "../../shared/registry/index.js";
import { zstdRawFrame, zstdRunFrame } from "../../demo/runtime/images/index.js";

describe("parseReference", () => {
  it("splits registry, repository, tag and digest", () => {
    const d = `sha256:${"a".repeat(64)}`;
    expect(parseReference("127.0.0.1:5000/team/app:1.2")).toEqual({ registry: "127.0.0.1:5000", repository: "team/app", tag: "1.2", digest: undefined });
    expect(parseReference(`myacr.azurecr.io/app@${d}`)).toEqual({ registry: "myacr.azurecr.io", repository: "app", tag: undefined, digest: d });
    expect(parseReference("alpine")).toEqual({ registry: "registry-1.docker.io", repository: "library/alpine", tag: "latest", digest: undefined });
    expect(parseReference("localhost/x/y")).toMatchObject({ registry: "localhost", repository: "x/y", tag: "latest" });
  });
  it("rejects malformed references with a message naming them", () => {
    expect(() => parseReference("reg.io/App:1")).toThrow(/invalid image reference "reg.io\/App:1"/);
    expect(() => parseReference("reg.io/app@sha256:abc")).toThrow(/digest must be sha256/);
    expect(() => parseReference("reg.io/app:bad tag")).toThrow(/bad tag/);
  });
});

describe("parseChallenges", () => {
  it("reads bearer and basic challenges", () => {
    expect(parseChallenges('Bearer realm="https://auth.example/token",service="reg.example",scope="repository:a/b:pull"')).toEqual([
      { scheme: "bearer", params: { realm: "https://auth.example/token", service: "reg.example", scope: "repository:a/b:pull" } },
    ]);
    expect(parseChallenges('Basic realm="Registry Realm", Bearer realm="x"').map((c) => c.scheme)).toEqual(["basic", "bearer"]);
    expect(parseChallenges("")).toEqual([]);
  });
});

describe("retry timing", () => {
  it("honours Retry-After (seconds and HTTP date), capped", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString(), Date.now())).toBeGreaterThan(3000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(retryDelay(DEFAULT_RETRY, 1, 2000)).toBe(2000);
    expect(retryDelay(DEFAULT_RETRY, 1, 10 ** 9)).toBe(DEFAULT_RETRY.maxDelayMs);
    expect(retryDelay(DEFAULT_RETRY, 3, undefined, () => 1)).toBe(DEFAULT_RETRY.baseDelayMs * 4);
  });
});

describe("manifests", () => {
  const d = (c: string) => `sha256:${c.repeat(64)}`;
  const index = parseManifest(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: [
          { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: d("1"), size: 10, platform: { os: "linux", architecture: "amd64" } },
          { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: d("2"), size: 10, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
          { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: d("3"), size: 10, platform: { os: "unknown", architecture: "unknown" } },
        ],
      }),
    ),
    "test",
  ) as ImageIndex;
  it("selects platforms, defaulting variants", () => {
    expect(selectPlatform(index, parsePlatform("linux/amd64"), "t").digest).toBe(d("1"));
    expect(selectPlatform(index, parsePlatform("linux/arm64"), "t").digest).toBe(d("2"));
    expect(selectPlatform(index, parsePlatform("linux/arm64/v8"), "t").digest).toBe(d("2"));
    expect(() => selectPlatform(index, parsePlatform("windows/amd64"), "t")).toThrow(/no image for platform windows\/amd64 \(available: linux\/amd64, linux\/arm64\/v8, unknown\/unknown\)/);
  });
  it("rejects hostile manifests clearly", () => {
    expect(() => parseManifest(Buffer.from("{"), "m")).toThrow(/not valid JSON/);
    expect(() => parseManifest(Buffer.from('{"schemaVersion":1}'), "m")).toThrow(/schemaVersion/);
    expect(() => parseManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, config: { mediaType: "x", digest: "sha256:../../etc", size: 1 }, layers: [] })), "m")).toThrow(/invalid digest/);
    expect(() => parseManifest(Buffer.alloc(5 * 1024 * 1024, 0x20), "m")).toThrow(/larger than/);
  });
});

describe("zstd raw-block writer", () => {
  it("produces frames the decoder reads back (raw and RLE blocks)", () => {
    const data = Buffer.concat([Buffer.from("hello ".repeat(50_000)), Buffer.alloc(300_000, 7), Buffer.alloc(0)]);
    expect(Buffer.from(decompress(zstdRawFrame(data))).equals(data)).toBe(true);
    expect(decompress(zstdRawFrame(Buffer.alloc(0))).length).toBe(0);
    expect(zstdRunFrame(0, 10 * 1024 * 1024).length).toBeLessThan(400);
  });
  it.runIf(existsSync("/usr/bin/zstd"))("matches the reference zstd CLI both ways", () => {
    const data = Buffer.from("layer bytes ".repeat(20_000));
    expect(execFileSync("/usr/bin/zstd", ["-d", "-c", "-q"], { input: zstdRawFrame(data) }).equals(data)).toBe(true);
    const real = execFileSync("/usr/bin/zstd", ["-c", "-q", "-19"], { input: data });
    expect(Buffer.from(decompress(real)).equals(data)).toBe(true);
  });
});

describe("ACR token exchange", () => {
  let server: Server;
  let base = "";
  const seen: Record<string, string>[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const form = Object.fromEntries(new URLSearchParams(body));
        seen.push({ path: req.url ?? "", ...form });
        res.setHeader("content-type", "application/json");
        if (req.method === "POST" && req.url === "/oauth2/exchange" && form.grant_type === "access_token" && form.access_token === "entra-token") {
          res.end(JSON.stringify({ refresh_token: "acr-refresh" }));
        } else if (req.method === "POST" && req.url === "/oauth2/token" && form.grant_type === "refresh_token" && form.refresh_token === "acr-refresh") {
          res.end(JSON.stringify({ access_token: `access-for-${form.scope}` }));
        } else {
          res.statusCode = 401;
          res.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED" }] }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("builds the exchange form", () => {
    expect(acrExchangeForm({ service: "r.azurecr.io", entraToken: "t", tenant: "ten" }).toString()).toBe("grant_type=access_token&service=r.azurecr.io&access_token=t&tenant=ten");
  });
  it("exchanges an Entra token for a scoped access token", async () => {
    const out = await exchangeAcrToken({ baseUrl: base, service: "r.azurecr.io", scope: "repository:app:pull", entraToken: "entra-token" });
    expect(out).toEqual({ refreshToken: "acr-refresh", accessToken: "access-for-repository:app:pull" });
    expect(seen.map((s) => [s.path, s.service])).toEqual([
      ["/oauth2/exchange", "r.azurecr.io"],
      ["/oauth2/token", "r.azurecr.io"],
    ]);
  });
  it("fails clearly when the exchange is refused", async () => {
    await expect(exchangeAcrToken({ baseUrl: base, service: "r.azurecr.io", scope: "s", entraToken: "wrong" })).rejects.toThrow(/r.azurecr.io \/oauth2\/exchange: token endpoint answered 401 without refresh_token/);
  });
  it("hashes with sha256", () => {
    expect(sha256Digest("")).toBe("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});
