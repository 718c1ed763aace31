/** The state's records (types only: store.ts, journal.ts and shard-state.ts all speak them). */
import type { AssetType } from '../discovery/walk';

/** One file in the project tree that Remaster has touched. Hashes are sha256 hex. */
export interface FileRecord {
  /** Hash of the original, kept at `.remaster/originals/<path>`; null = the file did not exist (Remaster created it). */
  original: string | null;
  /** Hash of what Remaster left there; null = Remaster removed the file (e.g. converted to another format). */
  output: string | null;
  /**
   * Set just before Remaster replaces the file, cleared once the new content is recorded: if the process
   * dies in between, this content too is Remaster's own work (its original is already kept).
   */
  pending?: string | null;
  /**
   * The file's size, mtime, ctime (ns) and inode right after Remaster left `output` there: while all
   * four are unchanged the content is taken to be `output` without reading it (file-stat.ts).
   */
  seen?: FileStamp;
  /**
   * A model file's external buffers (project-relative paths) as its content `of` references them: the plan
   * takes them from here while the change gate vouches that the file is still `of`, instead of parsing it.
   */
  buffers?: { of: string; files: string[] };
}

/** What the change gate compares (decimal strings: nanosecond times overflow a double). */
export interface FileStamp {
  size: string;
  mtimeNs: string;
  ctimeNs: string;
  ino: string;
}

/** One asset (model or standalone texture) and the files its outputs span. */
export interface AssetRecord {
  type: AssetType;
  /** Every file of the asset: the model and its external resources, or the texture and its converted copy. */
  files: string[];
  /** Hash of the originals' hashes + the rules that apply + the pipeline version: equal → nothing to redo. */
  fingerprint: string;
  /** Rule sources applied and engines used, for people reading the state. */
  rules: string[];
  engines: string[];
}

/** The state in memory: the snapshot with the journal applied. */
export interface StateData {
  version: 1;
  files: Record<string, FileRecord>;
  assets: Record<string, AssetRecord>;
}

