// Why pool workers start with a larger old generation: V8 gives a new isolate a small heap limit
// that also counts ArrayBuffer memory, and a layer walk keeps 20–60 MB of buffers in flight (zlib's
// output, the jar being read). Over that limit all the time, V8 ran a full mark-compact every
// ~30 ms: about 130 per 2 GB image, a quarter of the scan's CPU. An initial old generation of 64 MB
// lifts the limit above the walk's working set (a handful of collections per image). It is a
// collection threshold, not memory taken up front; the per-worker heap cap stays resourceLimits'.
import { setFlagsFromString } from "node:v8";

let applied: number | undefined;

/**
 * Sets the initial old-generation size (MB) of isolates created from now on. V8 flags are per
 * process and read when an isolate is made, so this runs before the pool starts its first worker;
 * the host thread's own heap, made at start-up, is unaffected.
 */
export function setWorkerInitialHeap(mb: number): void {
  const n = Math.floor(mb);
  if (applied === n) return;
  setFlagsFromString(`--initial-old-space-size=${n}`);
  applied = n;
}
