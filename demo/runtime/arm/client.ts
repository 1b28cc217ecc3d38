// A minimal ARM HTTP client over node:https for the emulator's own tests and the benchmark's
// baseline: no SDK pipeline, no retries, trusts only the emulator's CA.
import { Agent, request } from "node:https";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export class RawArmClient {
  private readonly agent: Agent;
  constructor(
    readonly endpoint: string,
    caCert: string,
    private readonly token: string | undefined,
  ) {
    this.agent = new Agent({ ca: caCert, keepAlive: true, maxSockets: 16 });
  }

  send(method: string, pathOrUrl: string, body?: unknown): Promise<RawResponse> {
    const url = new URL(pathOrUrl, this.endpoint);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
            ...(payload ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
          });
        },
      );
      req.on("error", reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
