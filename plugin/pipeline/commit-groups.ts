/**
 * Group commit for a run: an asset whose outputs are ready joins the queue; while one group is being
 * committed the next gathers, and is committed as one (commit.ts `commitAssets`: one intent record,
 * one fsync per folder, the files' fsyncs side by side). On a fast disk groups stay small; when fsyncs
 * are slow they grow, which is when sharing them pays.
 *
 * A waiting asset need not hold a scheduler slot (`submit` says when it may free it): another asset is
 * decoded and remastered meanwhile. The outputs of assets waiting that way are capped, by count and by
 * bytes, so memory stays bounded; an asset over the cap keeps its slot while it waits.
 */
import type { StateData } from '../state/store';
import { commitAssets, type AssetOutputs, type CommitResult, type WrittenFiles } from './commit';
import type { Serial } from './schedule';

export interface CommitGroupLimits {
  /** Most assets in one group (default 32). */
  assets: number;
  /** Most output bytes held by assets waiting without a slot (default 64 MiB). */
  bytes: number;
}

export const DEFAULT_COMMIT_GROUP_LIMITS: CommitGroupLimits = { assets: 32, bytes: 64 << 20 };

interface Waiting {
  asset: AssetOutputs;
  /** Bytes counted against the cap while it waits without a slot (0 when it kept its slot). */
  held: number;
  resolve(files: string[]): void;
  reject(error: unknown): void;
}

export class CommitGroups {
  private readonly queue: Waiting[] = [];
  private scheduled = false;
  /** Assets (and their output bytes) waiting or committing after freeing their slot. */
  private freed = { assets: 0, bytes: 0 };

  /**
   * @param serial the run's one-at-a-time section: each group is committed in it, so it never
   *   interleaves with another state save (an asset's restore).
   */
  constructor(
    private readonly root: string,
    private readonly state: StateData,
    private readonly written: WrittenFiles,
    private readonly serial: Serial,
    readonly limits: CommitGroupLimits = DEFAULT_COMMIT_GROUP_LIMITS,
  ) {}

  /**
   * Queues the asset for the next group. `done` settles once it is committed (its changed files) or
   * failed; `mayFreeSlot` is true when its outputs fit the cap, so its caller may let another asset run.
   */
  submit(asset: AssetOutputs): { done: Promise<string[]>; mayFreeSlot: boolean } {
    const bytes = outputBytes(asset);
    const fits = this.freed.assets < this.limits.assets && this.freed.bytes + bytes <= this.limits.bytes;
    if (fits) {
      this.freed.assets++;
      this.freed.bytes += bytes;
    }
    const done = new Promise<string[]>((resolve, reject) => this.queue.push({ asset, held: fits ? bytes : -1, resolve, reject }));
    this.schedule();
    return { done, mayFreeSlot: fits };
  }

  /** A section in the serial queue takes what is waiting when its turn comes. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    void this.serial.run(async () => {
      this.scheduled = false;
      const group = this.queue.splice(0, this.limits.assets);
      if (this.queue.length) this.schedule();
      let results: CommitResult[];
      try {
        results = await commitAssets(this.root, this.state, this.written, group.map((w) => w.asset));
      } catch (error) {
        results = group.map(() => ({ error }));
      }
      group.forEach((waiting, k) => {
        if (waiting.held >= 0) {
          this.freed.assets--;
          this.freed.bytes -= waiting.held;
        }
        const result = results[k];
        if ('error' in result) waiting.reject(result.error);
        else waiting.resolve(result.files);
      });
    });
  }
}

function outputBytes(asset: AssetOutputs): number {
  let bytes = 0;
  for (const data of asset.outputs.values()) bytes += data?.byteLength ?? 0;
  for (const source of asset.sources) bytes += source.current?.byteLength ?? 0;
  return bytes;
}
