// Runtime-switchable fault injection, per ARM operation id (e.g. "ManagedClusters_List") or "*".

export interface Fault {
  /** HTTP status to answer instead of handling the request; omit to only delay. */
  status?: number;
  /** ARM error code in the body, e.g. AuthorizationFailed, TooManyRequests. */
  code?: string;
  message?: string;
  /** Sent as Retry-After (seconds); keep 0–1 in tests, the SDK really waits. */
  retryAfterSeconds?: number;
  /** Fire this many times, then disappear (default: until cleared). */
  times?: number;
  /** Wait before answering (with the fault, or normally when status is omitted). */
  delayMs?: number;
  /** Only requests whose path contains this (case-insensitive), e.g. a cluster name. */
  match?: string;
}

interface ArmedFault extends Fault {
  remaining: number;
}

const DEFAULT_CODES: Record<number, string> = {
  400: "BadRequest",
  401: "AuthenticationFailed",
  403: "AuthorizationFailed",
  404: "ResourceNotFound",
  409: "Conflict",
  429: "TooManyRequests",
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

export class FaultRegistry {
  private readonly faults = new Map<string, ArmedFault[]>();

  set(operationId: string, fault: Fault): void {
    const list = this.faults.get(operationId) ?? [];
    list.push({ ...fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    this.faults.set(operationId, list);
  }

  clear(operationId?: string): void {
    if (operationId === undefined) this.faults.clear();
    else this.faults.delete(operationId);
  }

  /** The fault to apply to this request, consuming one use of it. */
  take(operationId: string, path: string): Fault | undefined {
    for (const key of [operationId, "*"]) {
      const list = this.faults.get(key);
      const fault = list?.find((f) => f.remaining > 0 && (!f.match || path.toLowerCase().includes(f.match.toLowerCase())));
      if (fault) {
        fault.remaining -= 1;
        return fault;
      }
    }
    return undefined;
  }
}

export function faultCode(fault: Fault): string {
  return fault.code ?? DEFAULT_CODES[fault.status ?? 500] ?? `Http${fault.status}`;
}
