/**
 * Rule semantics: every rule whose `match` glob (and `slots`, for glTF textures) matches applies, in
 * order; each key it sets overrides the same key of earlier rules. An operation's key merges as the
 * operation says (`upscale` fields merge individually; `false` turns it off). Sidecar rules come after
 * all project rules. `skip: true` leaves the texture untouched.
 */
import picomatch from 'picomatch';
import { listOperations, textureOperations } from '../ops/registry';
import type { Operation } from '../ops/types';
import { KIND_SUFFIXES } from './defaults';
import type { ResolvedActions, Rule, SourcedRule, TextureSlot } from './types';
import type { TextureKind } from '../types';

/** What a texture is matched on. */
export interface MatchTarget {
  /** Asset path relative to the project root, POSIX separators. */
  path: string;
  /** Material slots of a glTF texture; undefined for a standalone texture. */
  slots?: TextureSlot[];
}

const matcherCache = new Map<string, (p: string) => boolean>();

function globMatches(pattern: string | string[], rel: string): boolean {
  return ([] as string[]).concat(pattern).some((glob) => {
    let isMatch = matcherCache.get(glob);
    // A pattern without '/' matches the file name anywhere (like .gitignore), so `*_n.png` just works.
    if (!isMatch) matcherCache.set(glob, (isMatch = picomatch(glob, { dot: true, basename: !glob.includes('/') })));
    return isMatch(rel);
  });
}

/** Whether one rule applies to the target. Sidecar rules (no `match`) apply to their asset. */
export function ruleMatches(entry: SourcedRule, target: MatchTarget): boolean {
  const { rule } = entry;
  if (rule.match !== undefined && !globMatches(rule.match, target.path)) return false;
  if (rule.slots) return target.slots !== undefined && target.slots.some((s) => rule.slots!.includes(s));
  return true;
}

/** Rules matching the asset path, ignoring slots: what can affect any texture of the asset. */
export function rulesForAsset(rules: SourcedRule[], rel: string): SourcedRule[] {
  return rules.filter((r) => r.rule.match === undefined || globMatches(r.rule.match, rel));
}

/**
 * Merges every matching rule. Returns null when the texture is to be left alone: no rule matched,
 * `skip: true` won, or the merged actions do nothing (no per-texture operation, no cap, same format).
 */
export function resolveActions(rules: SourcedRule[], target: MatchTarget): ResolvedActions | null {
  const out: ResolvedActions = { maxSize: null, format: 'keep', quality: null, kind: null, rules: [] };
  const ops = listOperations();
  const settings = out as unknown as Record<string, unknown>;
  for (const op of ops) settings[op.key] = null;
  let skip = false;
  for (const entry of rules) {
    if (!ruleMatches(entry, target)) continue;
    const { rule } = entry;
    out.rules.push(entry.source);
    if (rule.skip !== undefined) skip = rule.skip;
    for (const op of ops) {
      const value = ruleValue(rule, op);
      if (value !== undefined) settings[op.key] = op.merge(settings[op.key], value);
    }
    if (rule.maxSize !== undefined) out.maxSize = rule.maxSize;
    if (rule.format !== undefined) out.format = rule.format;
    if (rule.quality !== undefined) out.quality = rule.quality;
    if (rule.kind !== undefined) out.kind = rule.kind;
  }
  if (skip || out.rules.length === 0) return null;
  if (!textureOperations().some((op) => settings[op.key] !== null) && out.maxSize === null && out.format === 'keep') return null;
  return out;
}

/**
 * One operation's settings for a target (an asset operation's material or file): its key merged over
 * every matching rule, null when off, no rule sets it, or `skip: true` won.
 */
export function resolveOperation<S>(rules: SourcedRule[], target: MatchTarget, op: Operation): { settings: S; rules: string[] } | null {
  let settings: S | null = null;
  let skip = false;
  const sources: string[] = [];
  for (const entry of rules) {
    if (!ruleMatches(entry, target)) continue;
    if (entry.rule.skip !== undefined) skip = entry.rule.skip;
    const value = ruleValue(entry.rule, op);
    if (value === undefined) continue;
    settings = op.merge(settings, value) as S | null;
    sources.push(entry.source);
  }
  return skip || settings === null ? null : { settings, rules: sources };
}

/** The rule's value for an operation's key (undefined = the rule does not set it). */
export function ruleValue(rule: Rule, op: Operation): unknown {
  return (rule as Record<string, unknown>)[op.key];
}

/** Kind of a standalone texture from its name (`wall_n.png` → normal), see KIND_SUFFIXES. */
export function inferKindFromName(rel: string): TextureKind {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  const stem = base.includes('.') ? base.slice(0, base.indexOf('.')).toLowerCase() : base.toLowerCase();
  for (const kind of ['normal', 'data'] as const) {
    if (KIND_SUFFIXES[kind].some((suffix) => stem.endsWith(suffix))) return kind;
  }
  return 'color';
}
