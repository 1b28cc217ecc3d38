// Reads zstd frame and block headers (RFC 8878) ahead of the decoder, for two reasons: the decoder
// allocates the frame's declared window up front, so oversized windows must be refused first; and
// cutting input at block boundaries bounds how much one decoder call can emit (an RLE block of 4
// bytes expands to 128 KiB), so limits are checked before a bomb fills memory.
import { InputError, LimitExceededError } from "../../errors.js";

const FRAME_MAGIC = 0xfd2fb528;
const MAX_BLOCK = 128 * 1024;
/** Decoded bytes one decoder call may produce before we check limits. */
const PIECE_BUDGET = 4 * 1024 * 1024;
const DICT_BYTES = [0, 1, 2, 4];
const FCS_BYTES = [0, 2, 4, 8];

type State = "magic" | "skipsize" | "fhd" | "fheader" | "bheader" | "pass";

export class ZstdGuard {
  private state: State = "magic";
  private readonly buf = Buffer.alloc(32);
  private fill = 0;
  private need = 4;
  private pass = 0;
  private afterPass: "magic" | "block" | "checksum" = "magic";
  private checksum = false;
  private blockMax = MAX_BLOCK;
  private blockBound = 0;
  private lastBlock = false;
  private frames = 0;

  constructor(
    private readonly what: string,
    private readonly maxWindow: number,
  ) {}

  /** Splits `chunk` into [start, end) pieces, each decoding to at most about PIECE_BUDGET bytes. */
  split(chunk: Uint8Array): Array<[number, number]> {
    const pieces: Array<[number, number]> = [];
    let start = 0;
    let bound = 0;
    let i = 0;
    const len = chunk.length;
    while (i < len) {
      if (this.state === "pass") {
        const n = Math.min(this.pass, len - i);
        i += n;
        this.pass -= n;
        if (this.pass > 0) continue;
        if (this.afterPass === "block") {
          bound += this.blockBound;
          if (this.lastBlock) {
            if (this.checksum) this.startPass(4, "checksum");
            else this.expect("magic", 4);
          } else this.expect("bheader", 3);
          if (bound >= PIECE_BUDGET) {
            pieces.push([start, i]);
            start = i;
            bound = 0;
          }
        } else this.expect("magic", 4);
        continue;
      }
      const n = Math.min(this.need - this.fill, len - i);
      for (let k = 0; k < n; k++) this.buf[this.fill + k] = chunk[i + k];
      this.fill += n;
      i += n;
      if (this.fill === this.need) this.onHeader();
    }
    if (start < len) pieces.push([start, len]);
    return pieces;
  }

  /** At end of input: the data must stop at a frame boundary. */
  end(): void {
    const atBoundary = (this.state === "magic" && this.fill === 0) || (this.state === "pass" && this.pass === 0 && this.afterPass !== "block");
    if (!atBoundary || this.frames === 0) throw new InputError(`${this.what}: truncated zstd data`);
  }

  private expect(state: State, need: number): void {
    this.state = state;
    this.need = need;
    this.fill = 0;
  }

  private startPass(n: number, then: "magic" | "block" | "checksum"): void {
    this.state = "pass";
    this.pass = n;
    this.afterPass = then;
  }

  private onHeader(): void {
    const b = this.buf;
    switch (this.state) {
      case "magic": {
        const v = b.readUInt32LE(0);
        if (v === FRAME_MAGIC) this.expect("fhd", 1);
        else if ((v & 0xfffffff0) >>> 0 === 0x184d2a50) this.expect("skipsize", 4);
        else throw new InputError(`${this.what}: corrupt zstd data (bad frame magic)`);
        return;
      }
      case "skipsize":
        this.startPass(b.readUInt32LE(0), "magic");
        return;
      case "fhd": {
        const d = b[0];
        if (d & 0x08) throw new InputError(`${this.what}: corrupt zstd data (reserved frame header bit set)`);
        const ss = (d >> 5) & 1;
        const fcsFlag = d >> 6;
        const headerLen = (ss ? 0 : 1) + DICT_BYTES[d & 3] + (fcsFlag === 0 ? ss : FCS_BYTES[fcsFlag]);
        this.state = "fheader";
        this.need = 1 + headerLen;
        if (headerLen === 0) this.onHeader();
        return;
      }
      case "fheader": {
        const d = b[0];
        const ss = (d >> 5) & 1;
        const fcsFlag = d >> 6;
        let pos = 1;
        let window = 0;
        if (!ss) {
          const wd = b[pos++];
          const base = 2 ** (10 + (wd >> 3));
          window = base + (base / 8) * (wd & 7);
        }
        const dictBytes = DICT_BYTES[d & 3];
        let dict = 0;
        for (let k = 0; k < dictBytes; k++) dict += b[pos + k] * 2 ** (8 * k);
        pos += dictBytes;
        if (dict !== 0) throw new InputError(`${this.what}: zstd frames with dictionaries are not supported`);
        const fcsBytes = fcsFlag === 0 ? ss : FCS_BYTES[fcsFlag];
        let fcs = 0;
        for (let k = 0; k < fcsBytes; k++) fcs += b[pos + k] * 2 ** (8 * k);
        if (fcsFlag === 1) fcs += 256;
        if (ss) window = fcs;
        if (window > this.maxWindow) throw new LimitExceededError(`${this.what}: zstd window of ${window} bytes exceeds maxZstdWindow (${this.maxWindow})`);
        this.checksum = Boolean(d & 0x04);
        this.blockMax = Math.max(1, Math.min(window, MAX_BLOCK));
        this.frames++;
        this.expect("bheader", 3);
        return;
      }
      case "bheader": {
        const v = b[0] | (b[1] << 8) | (b[2] << 16);
        const type = (v >> 1) & 3;
        const size = v >>> 3;
        this.lastBlock = Boolean(v & 1);
        if (type === 3) throw new InputError(`${this.what}: corrupt zstd data (reserved block type)`);
        if (size > this.blockMax) throw new InputError(`${this.what}: corrupt zstd data (block larger than the window)`);
        this.blockBound = type === 2 ? this.blockMax : size;
        this.startPass(type === 1 ? 1 : size, "block");
        if (this.pass === 0) this.completeEmptyBlock();
        return;
      }
      default:
        return;
    }
  }

  private completeEmptyBlock(): void {
    // A zero-size raw block carries no body: finish it immediately.
    if (this.lastBlock) {
      if (this.checksum) this.startPass(4, "checksum");
      else this.expect("magic", 4);
    } else this.expect("bheader", 3);
  }
}
