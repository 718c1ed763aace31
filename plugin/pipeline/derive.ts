/**
 * The "derive" stage: runs the registered asset operations (plugin/ops, shape 'asset') before the
 * per-texture chain. On a model, once per material whose rules resolve (matched on the model path and
 * the material's textured slots); on a standalone texture, once per file, with its map siblings.
 * Operations never write: what they add is committed with the asset's other outputs and recorded.
 */
import type { Document, Material, Texture } from '@gltf-transform/core';
import path from 'node:path';
import { DEFAULT_QUALITY, KIND_SUFFIXES } from '../config/defaults';
import { resolveOperation } from '../config/resolve';
import type { SourcedRule } from '../config/types';
import type { Engine } from '../engine';
import { slotKind } from '../gltf/slots';
import { assetOperations } from '../ops/registry';
import type { AssetOperation, FileInput, MaterialInput, MaterialTexture, OperationServices, PlannedFile, SiblingTexture, TextureImage } from '../ops/types';
import type { RawImage, TextureKind } from '../types';
import { decodeImage, encodeImage, probeImage } from '../image-codec';

/** What the derive stage needs from the run. */
export interface DeriveContext {
  engine: Engine;
  root: string;
  rules: SourcedRule[];
  dryRun: boolean;
  maxPixels?: number;
  warn(message: string): void;
}

/** A texture an asset operation added to a model, or plans to (dry run). */
export interface DerivedModelTexture {
  /** Operation key. */
  by: string;
  name: string;
  slots: string[];
  kind: TextureKind;
  size: { width: number; height: number };
  engine: string;
  /** The new texture (apply); undefined in a dry run. */
  texture?: Texture;
}

/** The asset operations that work on models / on standalone files. */
export function materialOperations(): AssetOperation[] {
  return assetOperations().filter((op) => op.material);
}
export function fileOperations(): AssetOperation[] {
  return assetOperations().filter((op) => op.file);
}

/** Runs every material operation over the document (in a dry run: plans them). */
export async function deriveMaterials(document: Document, asset: string, ctx: DeriveContext): Promise<DerivedModelTexture[]> {
  const out: DerivedModelTexture[] = [];
  const ops = materialOperations();
  if (ops.length === 0) return out;
  for (const op of ops) {
    for (const [index, material] of document.getRoot().listMaterials().entries()) {
      const slots = await materialTextures(material, ctx.maxPixels);
      const resolved = resolveOperation(ctx.rules, { path: asset, slots: [...slots.keys()] }, op);
      if (!resolved) continue;
      const input: MaterialInput = { asset, name: material.getName() || `material #${index}`, slots };
      if (ctx.dryRun) {
        for (const d of op.material!.plan(resolved.settings, input)) out.push({ by: op.key, ...d });
        continue;
      }
      const before = new Set(document.getRoot().listTextures());
      const services = servicesFor(ctx, `${input.name}: `);
      const added = await op.material!.apply(resolved.settings, {
        ...input, document, material, createTexture: (image, options) => createTexture(document, image, options),
      }, services);
      const created = document.getRoot().listTextures().filter((t) => !before.has(t));
      for (const d of added) out.push({ by: op.key, ...d, texture: created.find((t) => t.getName() === d.name) });
    }
  }
  return out;
}

/** A material's textured slots (core and extension slots), by slot name. */
async function materialTextures(material: Material, maxPixels?: number): Promise<Map<string, MaterialTexture>> {
  const slots = new Map<string, MaterialTexture>();
  const graph = material.getGraph();
  const owners = new Set([material, ...graph.listChildren(material)]); // the material and its extension properties
  for (const owner of owners) {
    for (const edge of graph.listChildEdges(owner)) {
      const texture = edge.getChild() as Texture;
      if (texture.propertyType !== 'Texture') continue;
      const name = edge.getName();
      const slot = name.endsWith('Texture') ? name.slice(0, -'Texture'.length) : name;
      const image = texture.getImage();
      if (!image) continue;
      let size;
      try {
        const info = await probeImage(image);
        size = { width: info.width, height: info.height };
      } catch {
        continue; // KTX2 and other images the pipeline leaves alone
      }
      const kind = slotKind(slot, Boolean((edge.getAttributes() as { isColor?: boolean }).isColor));
      slots.set(slot, { texture, kind, size, read: () => readImage(image, kind, maxPixels) });
    }
  }
  return slots;
}

async function readImage(bytes: Uint8Array, kind: TextureKind, maxPixels?: number): Promise<TextureImage> {
  const image = await decodeImage(bytes, maxPixels);
  return { image, kind, alpha: image.channels === 2 || image.channels === 4 };
}

/** A PNG texture named `name`, with the file URI `<name>.png` (used when the model is a .gltf). */
async function createTexture(document: Document, image: RawImage, options: { name: string; kind: TextureKind }): Promise<Texture> {
  const bytes = await encodeImage(image, 'png', DEFAULT_QUALITY, options.kind);
  return document.createTexture(options.name).setImage(bytes).setMimeType('image/png').setURI(`${options.name}.png`);
}

function servicesFor(ctx: DeriveContext, prefix: string): OperationServices {
  return { engine: ctx.engine, root: ctx.root, warn: (line) => ctx.warn(prefix + line) };
}

/** The standalone texture and what file operations need of it. */
export interface FileDeriveInput {
  asset: string;
  kind: TextureKind;
  /** Original bytes of the texture. */
  bytes: Uint8Array;
  /** Candidate siblings: project-relative path → original bytes (Remaster's own files excluded). */
  siblings: Map<string, Uint8Array>;
}

/** A new file an operation derived (apply) or plans (dry run: no bytes). */
export interface DerivedFileOutput {
  by: string;
  rel: string;
  kind: TextureKind;
  size: { width: number; height: number };
  engine: string;
  image?: RawImage;
}

/** Runs every file operation whose rules resolve for this texture (in a dry run: plans them). */
export async function deriveFiles(input: FileDeriveInput, ctx: DeriveContext): Promise<DerivedFileOutput[]> {
  const out: DerivedFileOutput[] = [];
  for (const op of fileOperations()) {
    const resolved = resolveOperation(ctx.rules, { path: input.asset }, op);
    if (!resolved) continue;
    const info = await probeImage(input.bytes);
    const fileInput: FileInput = {
      asset: input.asset,
      kind: input.kind,
      size: { width: info.width, height: info.height },
      read: () => readImage(input.bytes, input.kind, ctx.maxPixels),
      siblings: siblingTextures(input),
    };
    if (ctx.dryRun) {
      for (const p of op.file!.plan(resolved.settings, fileInput) as PlannedFile[]) out.push({ by: op.key, ...p });
      continue;
    }
    const files = await op.file!.apply(resolved.settings, fileInput, servicesFor(ctx, ''));
    for (const f of files) {
      out.push({ by: op.key, rel: f.rel, kind: f.kind, size: { width: f.image.width, height: f.image.height }, engine: f.engine, image: f.image });
    }
  }
  return out;
}

function siblingTextures(input: FileDeriveInput): SiblingTexture[] {
  const stem = textureStem(input.asset);
  const out: SiblingTexture[] = [];
  for (const [rel, bytes] of input.siblings) {
    const match = siblingSuffix(stem, rel);
    if (!match) continue;
    out.push({ rel, suffix: match.suffix, kind: match.kind, read: () => readImage(bytes, match.kind) });
  }
  return out;
}

/** `dir/wall` for `dir/wall.png`, lower case: what map siblings are matched on. */
export function textureStem(rel: string): string {
  const dir = path.posix.dirname(rel);
  const base = path.posix.basename(rel);
  const dot = base.indexOf('.');
  return path.posix.join(dir, dot > 0 ? base.slice(0, dot) : base).toLowerCase();
}

/** The kind suffix that makes `rel` a map sibling of the texture with `stem`, if any. */
export function siblingSuffix(stem: string, rel: string): { suffix: string; kind: TextureKind } | null {
  const other = textureStem(rel);
  if (!other.startsWith(stem) || other === stem) return null;
  const suffix = other.slice(stem.length);
  for (const kind of ['normal', 'data'] as const) if (KIND_SUFFIXES[kind].includes(suffix)) return { suffix, kind };
  return null;
}

/** `pbr@cpu+remaster-x2-fast@cpu`; a chain that did nothing (`none`) adds nothing. */
export function joinEngines(first: string, then: string): string {
  return then === 'none' ? first : `${first}+${then}`;
}
