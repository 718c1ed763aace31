/**
 * Fits one material point from its pooled flash observations. Under a colocated flash the half vector
 * equals the view (= light) direction, so the glTF BRDF's Fresnel term is exactly F0 and each
 * observation k of channel c is linear in the diffuse and specular colour:
 *
 *   y_kc = ρ'_c · a_k(θ) + F0_c · b_k(θ),   a_k = (N·L)/(π r_k²),   b_k = (N·L)·D·V / r_k²
 *
 * with ρ' = (1 − max F0)·baseColor and θ the nonlinear parameters (normal slopes gx, gy, roughness,
 * and optionally the anisotropy vector). θ is fitted by Levenberg–Marquardt on the variable-projected
 * residuals (ρ', F0 re-solved in closed form at every θ, non-negative, F0 shrunk gently toward grey),
 * with weak priors toward a flat normal, roughness 0.5 and no anisotropy, where the data says nothing.
 * Initialisation: Lambertian photometric stereo on the pooled samples (highlights down-weighted), then
 * the best of a few roughness values.
 */
import { MIN_ALPHA } from './brdf';

/** Pooled observations of one point; arrays sized for the largest pool, `count` used. */
export interface Observations {
  count: number;
  /** Unit direction from the point toward the camera (= flash). */
  lx: Float64Array; ly: Float64Array; lz: Float64Array;
  /** 1 / squared distance to the flash. */
  ir2: Float64Array;
  /** Linear flash radiance per channel. */
  r: Float64Array; g: Float64Array; b: Float64Array;
  /** 1 for a usable sample, 0 for a clipped one. */
  w: Float64Array;
}

export function allocObservations(n: number): Observations {
  const f = () => new Float64Array(n);
  return { count: 0, lx: f(), ly: f(), lz: f(), ir2: f(), r: f(), g: f(), b: f(), w: f() };
}

export interface PointFit {
  baseColor: [number, number, number]; // ρ' (diffuse, before the (1 − max F0) correction)
  f0: [number, number, number];
  normal: [number, number, number];
  roughness: number;
  anisotropyStrength: number;
  anisotropyAngle: number;
  /** Mean squared residual per sample and channel (linear units). */
  mse: number;
  samples: number;
}

export interface FitOptions {
  /** Try an anisotropic lobe where the isotropic fit leaves structure (default true). */
  anisotropy?: boolean;
  /** LM iterations for the isotropic fit (default 8). */
  iterations?: number;
}

const ROUGHNESS_GRID = [0.2, 0.35, 0.5, 0.7, 0.9];
const MIN_ROUGHNESS = 0.05;
/** Above this the GGX lobe is too close to Lambertian to tell apart (and to split energy with). */
const MAX_ROUGHNESS = 0.9;
/** Roughness reported where the highlight is too faint to measure it. */
export const MATTE_ROUGHNESS = 0.8;
/** BIC-like margin (× ln n × σ²) a free roughness must win by; chosen on training-split scenes and the synthetic fixture. */
const MATTE_MARGIN = 6;

/** Scratch state reused across points (no allocation per point). */
export class PointFitter {
  private readonly a: Float64Array;
  private readonly bb: Float64Array;
  private readonly res: Float64Array;
  private readonly res2: Float64Array;
  private readonly jac: Float64Array[];
  /** Linear solution of the last evaluation: ρ'_c, F0_c. */
  private rho = [0, 0, 0];
  private f0 = [0, 0, 0];
  private obs!: Observations;
  private prior = 1;
  /** F0 ridge penalty of the last linear solve (added to the cost as one more residual row). */
  private ridgePenalty = 0;

  constructor(maxObs: number) {
    this.a = new Float64Array(maxObs);
    this.bb = new Float64Array(maxObs);
    const rows = maxObs * 3 + 8;
    this.res = new Float64Array(rows);
    this.res2 = new Float64Array(rows);
    this.jac = Array.from({ length: 5 }, () => new Float64Array(rows));
  }

  /** Basis values a_k, b_k for θ = [gx, gy, roughness, ax, ay] (a = strength²·(cos 2φ, sin 2φ)). */
  private basis(t: ArrayLike<number>, nParams: number): void {
    const o = this.obs;
    const inv = 1 / Math.sqrt(t[0] * t[0] + t[1] * t[1] + 1);
    const nx = t[0] * inv, ny = t[1] * inv, nz = inv;
    const alpha = Math.max(MIN_ALPHA, t[2] * t[2]);
    const a2 = alpha * alpha;
    if (nParams <= 3) {
      for (let k = 0; k < o.count; k++) {
        const nl = nx * o.lx[k] + ny * o.ly[k] + nz * o.lz[k];
        if (nl <= 1e-4) { this.a[k] = 0; this.bb[k] = 0; continue; }
        const nl2 = nl * nl;
        const q = nl2 * (a2 - 1) + 1;
        const D = a2 / (Math.PI * q * q);
        this.a[k] = (o.ir2[k] * nl) / Math.PI;
        this.bb[k] = (o.ir2[k] * D) / (4 * Math.sqrt(a2 * (1 - nl2) + nl2));
      }
      return;
    }
    const u = Math.min(1, Math.hypot(t[3], t[4]));
    const phi = Math.atan2(t[4], t[3]) / 2;
    const at = alpha + (1 - alpha) * u, ab = alpha;
    // Tangent: direction φ Gram–Schmidt against n; bitangent = n × t.
    let tx = Math.cos(phi), ty = Math.sin(phi), tz = 0;
    const d = tx * nx + ty * ny;
    tx -= d * nx; ty -= d * ny; tz -= d * nz;
    const tl = Math.hypot(tx, ty, tz);
    tx /= tl; ty /= tl; tz /= tl;
    const bx = ny * tz - nz * ty, by = nz * tx - nx * tz, bz = nx * ty - ny * tx;
    for (let k = 0; k < o.count; k++) {
      const lx = o.lx[k], ly = o.ly[k], lz = o.lz[k];
      const nl = nx * lx + ny * ly + nz * lz;
      if (nl <= 1e-4) { this.a[k] = 0; this.bb[k] = 0; continue; }
      const th = tx * lx + ty * ly + tz * lz, bh = bx * lx + by * ly + bz * lz;
      const q = (th / at) ** 2 + (bh / ab) ** 2 + nl * nl;
      const D = 1 / (Math.PI * at * ab * q * q);
      this.a[k] = (o.ir2[k] * nl) / Math.PI;
      this.bb[k] = (o.ir2[k] * D) / (4 * Math.sqrt((at * th) ** 2 + (ab * bh) ** 2 + nl * nl));
    }
  }

  /** Solves ρ', F0 for the current basis; returns the weighted data SSE. */
  private solveLinear(): number {
    const o = this.obs;
    let saa = 0, sab = 0, sbb = 0;
    const say = [0, 0, 0], sby = [0, 0, 0], syy = [0, 0, 0];
    for (let k = 0; k < o.count; k++) {
      const w = o.w[k];
      if (!w) continue;
      const a = this.a[k], b = this.bb[k];
      saa += w * a * a; sab += w * a * b; sbb += w * b * b;
      const y0 = o.r[k], y1 = o.g[k], y2 = o.b[k];
      say[0] += w * a * y0; say[1] += w * a * y1; say[2] += w * a * y2;
      sby[0] += w * b * y0; sby[1] += w * b * y1; sby[2] += w * b * y2;
      syy[0] += w * y0 * y0; syy[1] += w * y1 * y1; syy[2] += w * y2 * y2;
    }
    // A very rough lobe is nearly collinear with the Lambertian term, so the split between them is
    // ill-conditioned; a ridge on F0 scaled to the diffuse energy keeps F0 small unless the data
    // clearly shows a lobe (a gloss highlight makes sbb large and the ridge negligible).
    const ridge = 0.01 * saa;
    const solve = (ay: number, by: number, mu: number, target: number): [number, number] => {
      const s11 = saa + 1e-12, s22 = sbb + mu + ridge + 1e-12;
      const det = s11 * s22 - sab * sab;
      let rho = (ay * s22 - sab * (by + mu * target)) / det;
      let f = (s11 * (by + mu * target) - sab * ay) / det;
      if (f < 0) { f = 0; rho = ay / s11; }
      if (rho < 0) { rho = 0; f = Math.max(0, (by + mu * target) / s22); }
      return [rho, f];
    };
    const [, grey] = solve((say[0] + say[1] + say[2]) / 3, (sby[0] + sby[1] + sby[2]) / 3, 0, 0);
    const mu = 0.1 * sbb;
    let sse = 0;
    // The penalty is part of the cost, so θ cannot trade it away for free.
    let penalty = 0;
    for (let c = 0; c < 3; c++) {
      const [rho, f] = solve(say[c], sby[c], mu, grey);
      this.rho[c] = rho; this.f0[c] = f;
      sse += syy[c] - 2 * rho * say[c] - 2 * f * sby[c] + rho * rho * saa + 2 * rho * f * sab + f * f * sbb;
      penalty += ridge * f * f;
    }
    this.ridgePenalty = penalty;
    return Math.max(0, sse);
  }

  /** Residual vector (data rows then prior rows) at θ into `out`; returns its squared norm. */
  private residuals(t: ArrayLike<number>, nParams: number, out: Float64Array): number {
    this.basis(t, nParams);
    this.solveLinear();
    const o = this.obs;
    let i = 0, sum = 0;
    const [r0, r1, r2] = this.rho, [f0, f1, f2] = this.f0;
    for (let k = 0; k < o.count; k++) {
      const sw = o.w[k] ? 1 : 0;
      const a = this.a[k], b = this.bb[k];
      const e0 = sw * (o.r[k] - r0 * a - f0 * b), e1 = sw * (o.g[k] - r1 * a - f1 * b), e2 = sw * (o.b[k] - r2 * a - f2 * b);
      out[i++] = e0; out[i++] = e1; out[i++] = e2;
      sum += e0 * e0 + e1 * e1 + e2 * e2;
    }
    const p = this.prior;
    const rows = [p * t[0], p * t[1], p * (t[2] - 0.5), Math.sqrt(this.ridgePenalty)];
    if (nParams > 3) rows.push(2 * p * t[3], 2 * p * t[4]);
    for (const v of rows) { out[i++] = v; sum += v * v; }
    return sum;
  }

  /** Levenberg–Marquardt on θ (in place); returns the final cost. */
  private levenbergMarquardt(t: number[], nParams: number, iterations: number): number {
    const rows = this.obs.count * 3 + (nParams > 3 ? 6 : 4);
    let cost = this.residuals(t, nParams, this.res);
    let lambda = 1e-2;
    const steps = [1e-4, 1e-4, 1e-4, 1e-3, 1e-3];
    const trial = new Array<number>(nParams);
    for (let it = 0; it < iterations; it++) {
      for (let p = 0; p < nParams; p++) {
        const saved = t[p];
        t[p] = saved + steps[p];
        this.residuals(t, nParams, this.jac[p]);
        t[p] = saved;
        const col = this.jac[p];
        for (let i = 0; i < rows; i++) col[i] = (col[i] - this.res[i]) / steps[p];
      }
      // Normal equations JᵀJ δ = −Jᵀr.
      const JtJ: number[][] = [], Jtr: number[] = [];
      for (let p = 0; p < nParams; p++) {
        JtJ.push(new Array(nParams).fill(0));
        let s = 0;
        const cp = this.jac[p];
        for (let i = 0; i < rows; i++) s += cp[i] * this.res[i];
        Jtr.push(-s);
        for (let q = 0; q <= p; q++) {
          const cq = this.jac[q];
          let v = 0;
          for (let i = 0; i < rows; i++) v += cp[i] * cq[i];
          JtJ[p][q] = v;
          JtJ[q][p] = v;
        }
      }
      let improved = false;
      for (let attempt = 0; attempt < 4 && !improved; attempt++) {
        const M = JtJ.map((row, p) => row.map((v, q) => (p === q ? v * (1 + lambda) + 1e-12 : v)));
        const delta = solveSmall(M, Jtr.slice());
        if (!delta) { lambda *= 10; continue; }
        for (let p = 0; p < nParams; p++) trial[p] = t[p] + delta[p];
        clampParams(trial, nParams);
        const c = this.residuals(trial, nParams, this.res2);
        if (c < cost) {
          for (let p = 0; p < nParams; p++) t[p] = trial[p];
          this.res.set(this.res2.subarray(0, rows));
          const gain = cost - c;
          cost = c;
          lambda = Math.max(1e-6, lambda / 3);
          improved = true;
          if (gain < 1e-10 * (1 + cost)) return cost;
        } else {
          lambda *= 6;
        }
      }
      if (!improved) break;
    }
    // Leave the linear solution consistent with t.
    cost = this.residuals(t, nParams, this.res);
    return cost;
  }

  fit(obs: Observations, options: FitOptions = {}): PointFit {
    this.obs = obs;
    let used = 0;
    for (let k = 0; k < obs.count; k++) used += obs.w[k] ? 1 : 0;
    this.prior = 0.002 * Math.sqrt(Math.max(1, used));
    const t = this.initialGuess();
    let nParams = 3;
    let cost = this.levenbergMarquardt(t, 3, options.iterations ?? 8);
    let dataSse = cost - this.ridgePenalty - this.prior ** 2 * (t[0] ** 2 + t[1] ** 2 + (t[2] - 0.5) ** 2);
    // Roughness the data cannot see: a faint lobe (low F0) is nearly collinear with the diffuse term at
    // any roughness. Unless a free roughness beats the matte default by a BIC-like margin, report the
    // default: faint and matte go together in real materials.
    {
      const sigma2 = Math.max(1e-12, dataSse / Math.max(1, 3 * used - 6));
      const matte = [t[0], t[1], MATTE_ROUGHNESS];
      const mc = this.residuals(matte, 3, this.res);
      if (mc - cost < MATTE_MARGIN * Math.log(Math.max(2, 3 * used)) * sigma2) {
        t[2] = MATTE_ROUGHNESS;
        cost = mc;
        dataSse = cost - this.ridgePenalty - this.prior ** 2 * (t[0] ** 2 + t[1] ** 2 + (t[2] - 0.5) ** 2);
      } else {
        this.residuals(t, 3, this.res);
      }
    }
    const iso = { t: t.slice(), rho: this.rho.slice(), f0: this.f0.slice() };
    if ((options.anisotropy ?? true) && used >= 12 && t[2] < 0.6 && Math.max(...this.f0) > 0) {
      // Anisotropic candidates from four directions; keep one only if it clearly beats isotropic
      // (an information-criterion-like margin for the two extra parameters).
      let best: { t: number[]; cost: number } | undefined;
      for (const phi of [0, 45, 90, 135]) {
        const c2 = Math.cos((phi * Math.PI) / 90) * 0.5, s2 = Math.sin((phi * Math.PI) / 90) * 0.5;
        const cand = [t[0], t[1], t[2], c2, s2];
        const c = this.residuals(cand, 5, this.res);
        if (!best || c < best.cost) best = { t: cand, cost: c };
      }
      const ta = best!.t;
      const ca = this.levenbergMarquardt(ta, 5, 6);
      const sigma2 = dataSse / Math.max(1, 3 * used - 8);
      if (ca < cost - Math.max(0.15 * dataSse, 6 * sigma2)) {
        t.length = 0; t.push(...ta);
        nParams = 5;
        cost = ca;
        dataSse = ca - this.ridgePenalty - this.prior ** 2 * (ta[0] ** 2 + ta[1] ** 2 + (ta[2] - 0.5) ** 2 + 4 * (ta[3] ** 2 + ta[4] ** 2));
        this.residuals(ta, 5, this.res);
      } else {
        this.rho = iso.rho; this.f0 = iso.f0;
        t.length = 0; t.push(...iso.t);
      }
    }
    const inv = 1 / Math.sqrt(t[0] * t[0] + t[1] * t[1] + 1);
    const u = nParams > 3 ? Math.min(1, Math.hypot(t[3], t[4])) : 0;
    return {
      baseColor: [this.rho[0], this.rho[1], this.rho[2]],
      f0: [this.f0[0], this.f0[1], this.f0[2]],
      normal: [t[0] * inv, t[1] * inv, inv],
      roughness: t[2],
      anisotropyStrength: Math.sqrt(u),
      anisotropyAngle: nParams > 3 ? Math.atan2(t[4], t[3]) / 2 : 0,
      mse: Math.max(0, dataSse) / Math.max(1, 3 * used),
      samples: used,
    };
  }

  /** Photometric-stereo normal, then the best roughness of a small grid. */
  private initialGuess(): number[] {
    const o = this.obs;
    const g = lambertNormal(o, null);
    // Down-weight samples far above the Lambertian prediction (the highlight) and refit.
    let s = 0, n = 0;
    const pred = (k: number) => (g[0] * o.lx[k] + g[1] * o.ly[k] + g[2] * o.lz[k]) * o.ir2[k];
    for (let k = 0; k < o.count; k++) if (o.w[k]) { s += Math.abs((o.r[k] + o.g[k] + o.b[k]) / 3 - pred(k)); n++; }
    const mad = s / Math.max(1, n);
    const g2 = lambertNormal(o, (k) => ((o.r[k] + o.g[k] + o.b[k]) / 3 - pred(k) > 2 * mad ? 0 : 1));
    let gx = 0, gy = 0;
    if (g2[2] > 1e-6) {
      gx = g2[0] / g2[2]; gy = g2[1] / g2[2];
      const m = Math.hypot(gx, gy);
      if (m > 1.5) { gx *= 1.5 / m; gy *= 1.5 / m; }
    }
    let best = 0.5, bestCost = Infinity;
    for (const r of ROUGHNESS_GRID) {
      const c = this.residuals([gx, gy, r], 3, this.res);
      if (c < bestCost) { bestCost = c; best = r; }
    }
    return [gx, gy, best];
  }
}

/** Least-squares g in y/ir2 ≈ g·l (mean channel), optional extra weights; returns g (= ρ'/π · n). */
function lambertNormal(o: Observations, weight: ((k: number) => number) | null): [number, number, number] {
  const M = [[0, 0, 0], [0, 0, 0], [0, 0, 0]], v = [0, 0, 0];
  for (let k = 0; k < o.count; k++) {
    const w = o.w[k] * (weight ? weight(k) : 1);
    if (!w) continue;
    const z = (o.r[k] + o.g[k] + o.b[k]) / 3 / o.ir2[k];
    const l = [o.lx[k], o.ly[k], o.lz[k]];
    for (let i = 0; i < 3; i++) {
      v[i] += w * l[i] * z;
      for (let j = 0; j < 3; j++) M[i][j] += w * l[i] * l[j];
    }
  }
  // A little ridge toward flat keeps near-degenerate pools (few periods) stable.
  const tr = (M[0][0] + M[1][1] + M[2][2]) * 1e-3 + 1e-12;
  for (let i = 0; i < 3; i++) M[i][i] += tr;
  return (solveSmall(M, v) ?? [0, 0, 1]) as [number, number, number];
}

function clampParams(t: number[], nParams: number): void {
  // Slopes up to 1.5 (56°): steeper normals are rarer than pools that a grazing normal would
  // "explain" with an inflated albedo.
  const m2 = Math.hypot(t[0], t[1]);
  if (m2 > 1.5) { t[0] *= 1.5 / m2; t[1] *= 1.5 / m2; }
  t[2] = Math.max(MIN_ROUGHNESS, Math.min(MAX_ROUGHNESS, t[2]));
  if (nParams > 3) {
    const m = Math.hypot(t[3], t[4]);
    if (m > 1) { t[3] /= m; t[4] /= m; }
  }
}

/** Gaussian elimination with partial pivoting for tiny systems; null if singular. */
export function solveSmall(M: number[][], v: number[]): number[] | null {
  const n = v.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (Math.abs(M[p][c]) < 1e-18) return null;
    [M[c], M[p]] = [M[p], M[c]];
    [v[c], v[p]] = [v[p], v[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k < n; k++) M[r][k] -= f * M[c][k];
      v[r] -= f * v[c];
    }
  }
  const x = new Array<number>(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = v[r];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}
