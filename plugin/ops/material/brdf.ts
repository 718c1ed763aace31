/**
 * The glTF 2.0 BRDF (specification Appendix B) for a dielectric (metallic = 0), with the F0 colour of
 * KHR_materials_specular (specular = 1, so F90 = 1) and the anisotropic lobe of KHR_materials_anisotropy:
 *
 *   f = (1 − max(F)) · baseColor / π  +  F · D · V
 *   F = F0 + (1 − F0)(1 − V·H)^5                          (Schlick, per channel)
 *   D = 1 / (π αt αb ((T·H/αt)² + (B·H/αb)² + (N·H)²)²)     (GGX; isotropic when αt = αb = α)
 *   V = 0.5 / (N·L √((αt T·V)² + (αb B·V)² + (N·V)²) + N·V √((αt T·L)² + (αb B·L)² + (N·L)²))
 *                                                        (height-correlated Smith)
 *   α = roughness², αt = mix(α, 1, strength²), αb = α
 *
 * The (1 − max(F)) diffuse weight is the Khronos sample viewer's energy split for coloured F0.
 */

/** Smallest α used, so a mirror-like roughness stays finite. */
export const MIN_ALPHA = 1e-3;

/** A shading frame: unit normal and the anisotropy tangent/bitangent (both ⊥ normal). */
export interface ShadingFrame {
  nx: number; ny: number; nz: number;
  tx: number; ty: number; tz: number;
  bx: number; by: number; bz: number;
}

/**
 * Builds the frame for a tangent-space normal and an anisotropy direction angle (radians, from the
 * surface tangent +X toward +Y), Gram–Schmidt against the normal as the sample viewer does.
 */
export function shadingFrame(nx: number, ny: number, nz: number, angle: number, out: ShadingFrame): ShadingFrame {
  let tx = Math.cos(angle), ty = Math.sin(angle), tz = 0;
  const d = tx * nx + ty * ny + tz * nz;
  tx -= d * nx; ty -= d * ny; tz -= d * nz;
  const tl = Math.hypot(tx, ty, tz) || 1;
  tx /= tl; ty /= tl; tz /= tl;
  out.nx = nx; out.ny = ny; out.nz = nz;
  out.tx = tx; out.ty = ty; out.tz = tz;
  out.bx = ny * tz - nz * ty; out.by = nz * tx - nx * tz; out.bz = nx * ty - ny * tx;
  return out;
}

/** The specular lobe D·V (without Fresnel) for light l and view v. 0 below the horizon. */
export function specularLobe(f: ShadingFrame, roughness: number, strength: number,
  lx: number, ly: number, lz: number, vx: number, vy: number, vz: number): number {
  const nl = f.nx * lx + f.ny * ly + f.nz * lz;
  const nv = f.nx * vx + f.ny * vy + f.nz * vz;
  if (nl <= 0 || nv <= 0) return 0;
  let hx = lx + vx, hy = ly + vy, hz = lz + vz;
  const hl = Math.hypot(hx, hy, hz);
  hx /= hl; hy /= hl; hz /= hl;
  const a = Math.max(MIN_ALPHA, roughness * roughness);
  const at = a + (1 - a) * strength * strength;
  const ab = a;
  const th = f.tx * hx + f.ty * hy + f.tz * hz;
  const bh = f.bx * hx + f.by * hy + f.bz * hz;
  const nh = f.nx * hx + f.ny * hy + f.nz * hz;
  const q = (th / at) ** 2 + (bh / ab) ** 2 + nh * nh;
  const D = 1 / (Math.PI * at * ab * q * q);
  const tv = f.tx * vx + f.ty * vy + f.tz * vz, bv = f.bx * vx + f.by * vy + f.bz * vz;
  const tl = f.tx * lx + f.ty * ly + f.tz * lz, bl = f.bx * lx + f.by * ly + f.bz * lz;
  const gv = nl * Math.sqrt((at * tv) ** 2 + (ab * bv) ** 2 + nv * nv);
  const gl = nv * Math.sqrt((at * tl) ** 2 + (ab * bl) ** 2 + nl * nl);
  return 0.5 / (gv + gl) * D;
}

/**
 * Reflected radiance factor f(l, v) · (N·L) for one texel, per channel, written to out[0..2].
 * `base` and `f0` are linear RGB triples.
 */
export function shade(f: ShadingFrame, base: ArrayLike<number>, bo: number, f0: ArrayLike<number>, fo: number,
  roughness: number, strength: number,
  lx: number, ly: number, lz: number, vx: number, vy: number, vz: number, out: Float64Array): void {
  const nl = f.nx * lx + f.ny * ly + f.nz * lz;
  const nv = f.nx * vx + f.ny * vy + f.nz * vz;
  if (nl <= 0 || nv <= 0) { out[0] = out[1] = out[2] = 0; return; }
  let hx = lx + vx, hy = ly + vy, hz = lz + vz;
  const hl = Math.hypot(hx, hy, hz);
  hx /= hl; hy /= hl; hz /= hl;
  const vh = Math.max(0, vx * hx + vy * hy + vz * hz);
  const s = Math.pow(1 - vh, 5);
  const F0 = f0[fo] + (1 - f0[fo]) * s, F1 = f0[fo + 1] + (1 - f0[fo + 1]) * s, F2 = f0[fo + 2] + (1 - f0[fo + 2]) * s;
  const kd = (1 - Math.max(F0, F1, F2)) / Math.PI;
  const spec = specularLobe(f, roughness, strength, lx, ly, lz, vx, vy, vz);
  out[0] = (kd * base[bo] + F0 * spec) * nl;
  out[1] = (kd * base[bo + 1] + F1 * spec) * nl;
  out[2] = (kd * base[bo + 2] + F2 * spec) * nl;
}
