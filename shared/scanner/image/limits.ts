// Bounds on what one image may cost us. Defaults are generous enough for real multi-GB images and
// 3M-file layers (we stream), and small enough that a bomb stops long before memory or disk suffer.

export interface WalkLimits {
  /** Decompressed bytes per layer. */
  maxLayerBytes: number;
  /** Tar entries per layer (or files in a dir: target). */
  maxEntries: number;
  /** Largest single file a cataloger may buffer; bigger matches are skipped with a warning. */
  maxFileBytes: number;
  /** Largest zstd window accepted (the decoder allocates it). */
  maxZstdWindow?: number;
  /** Decompressed bytes across all layers of one image (repeated layers counted once). */
  maxImageBytes?: number;
  /** Tar entries across all layers of one image. */
  maxImageEntries?: number;
}

export const DEFAULT_LIMITS: WalkLimits = {
  maxLayerBytes: 32 * 1024 ** 3,
  maxEntries: 5_000_000,
  maxFileBytes: 256 * 1024 ** 2,
  maxZstdWindow: 128 * 1024 ** 2,
  maxImageBytes: 64 * 1024 ** 3,
  maxImageEntries: 10_000_000,
};

export function resolveLimits(partial?: Partial<WalkLimits>): Required<WalkLimits> {
  return { ...DEFAULT_LIMITS, ...partial } as Required<WalkLimits>;
}

/** Keeps warnings bounded on hostile input: the first `max`, then one summary line. */
export class WarningList {
  readonly items: string[] = [];
  private dropped = 0;
  constructor(private readonly max = 100) {}
  add(message: string): void {
    if (this.items.length < this.max) this.items.push(message);
    else this.dropped++;
  }
  done(): string[] {
    return this.dropped ? [...this.items, `… and ${this.dropped} more warnings`] : this.items;
  }
}
