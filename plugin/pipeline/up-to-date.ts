import type { RunContext } from './context';
import { inspectFile } from './file-source';

/** Every file the asset's record lists is still exactly what Remaster left there. */
export async function isUpToDate(ctx: RunContext, key: string): Promise<boolean> {
  for (const rel of ctx.state.assets[key]?.files ?? []) {
    if (!(await inspectFile(ctx.root, ctx.state, rel)).derived) return false;
  }
  return true;
}
