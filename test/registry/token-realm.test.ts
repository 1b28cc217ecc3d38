// An Entra token is only exchanged with the registry itself: a registry (or a man in the middle)
// that names another host as its bearer realm gets nothing.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegistryClient, RegistryError } from "../../shared/registry/index.js";

let registry: Server;
let other: Server;
let registryHost = "";
const otherHits: string[] = [];
const listen = (handler: (req: IncomingMessage, res: ServerResponse) => void) =>
  new Promise<{ server: Server; host: string }>((resolve) => {
    const server = createServer(handler);
    server.listen(0, "127.0.0.1", () => resolve({ server, host: `127.0.0.1:${(server.address() as { port: number }).port}` }));
  });

beforeAll(async () => {
  const o = await listen((req, res) => {
    otherHits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ refresh_token: "r", access_token: "a" }));
  });
  other = o.server;
  const r = await listen((_req, res) => {
    res.writeHead(401, { "www-authenticate": `Bearer realm="http://${o.host}/oauth2/token",service="${registryHost}"` }).end();
  });
  registry = r.server;
  registryHost = r.host;
});

afterAll(async () => {
  await new Promise((r) => registry.close(r));
  await new Promise((r) => other.close(r));
});

describe("bearer realm with an Entra credential", () => {
  it("refuses to send the token to a realm on another host", async () => {
    let asked = 0;
    const credential = { getToken: async () => { asked++; return { token: "entra-token", expiresOnTimestamp: Date.now() + 3_600_000 }; } };
    const client = new RegistryClient(registryHost, { plainHttp: true, credential, retry: { attempts: 1 } });
    const err = await client.getManifest("repo", "latest").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as Error).message).toMatch(/is not the registry .*refusing to send it an Entra token/);
    expect(otherHits).toEqual([]);
    expect(asked).toBe(0);
  });
});
