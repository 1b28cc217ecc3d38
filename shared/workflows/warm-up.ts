// What a host does once before it serves: the first scan would otherwise load (or build) the
// advisory feed index on the host thread and boot the pool's workers, whose module loading competes
// with the host thread for CPU, so GET /api/health would pay for it. Best effort: a host without a
// feed yet still starts, and the first scan reports the missing feed.
import { ensureError } from "../errors.js";
import { taskPool, type TaskPool } from "../isolation/index.js";
import type { Dependencies } from "./dependencies.js";

export async function warmUp(deps: Pick<Dependencies, "feed">, pool: TaskPool = taskPool(), log: (message: string) => void = () => {}): Promise<void> {
  let feed;
  try {
    feed = await deps.feed.current();
  } catch (err) {
    log(`warm-up: no advisory feed yet (${ensureError(err).message})`);
  }
  await pool.warm(feed);
}
