// Errors from the Kubernetes API, typed by what the caller does about them.
export class KubernetesApiError extends Error {
  override name = "KubernetesApiError";
  constructor(
    message: string,
    readonly status: number,
    readonly reason?: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** 401: the credentials were rejected. Whole collection fails: nothing can be read. */
export class KubernetesAuthError extends KubernetesApiError {
  override name = "KubernetesAuthError";
}

/** The server's Status message, when the body is a metav1.Status. */
export function statusMessage(body: unknown): { message?: string; reason?: string } {
  if (body && typeof body === "object" && (body as { kind?: unknown }).kind === "Status") {
    const b = body as { message?: unknown; reason?: unknown };
    return { message: typeof b.message === "string" ? b.message : undefined, reason: typeof b.reason === "string" ? b.reason : undefined };
  }
  return {};
}
