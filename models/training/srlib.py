"""Shared pieces of Remaster's super-resolution recipe: the network, the degradation model, the loss and the
metrics. Pure PyTorch (works on torch 1.13 CPU and torch 2.x CUDA)."""
import math
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# ----------------------------------------------------------------------------------------------- network
class SRVGGCompact(nn.Module):
    """SRVGGNetCompact-style net: conv(3->nf)+PReLU, nconv x [conv(nf->nf)+PReLU], conv(nf->3*s*s), pixel
    shuffle, plus a bilinear upsample of the input (the net only learns the residual over bilinear)."""

    def __init__(self, scale, nf=32, nconv=8):
        super().__init__()
        self.scale, self.nf, self.nconv = scale, nf, nconv
        layers = [nn.Conv2d(3, nf, 3, 1, 1), nn.PReLU(nf)]
        for _ in range(nconv):
            layers += [nn.Conv2d(nf, nf, 3, 1, 1), nn.PReLU(nf)]
        layers += [nn.Conv2d(nf, 3 * scale * scale, 3, 1, 1)]
        self.body = nn.Sequential(*layers)
        self.shuffle = nn.PixelShuffle(scale)

    def forward(self, x):
        base = F.interpolate(x, scale_factor=self.scale, mode='bilinear', align_corners=False)
        return self.shuffle(self.body(x)) + base


def n_params(m):
    return sum(p.numel() for p in m.parameters())


# ----------------------------------------------------------------------------------------------- degradations
def gaussian_kernel1d(sigma, radius=None, device='cpu'):
    radius = radius or max(1, int(math.ceil(3 * sigma)))
    t = torch.arange(-radius, radius + 1, dtype=torch.float32, device=device)
    k = torch.exp(-t * t / (2 * sigma * sigma))
    return k / k.sum()


def blur(x, sigma):
    k = gaussian_kernel1d(sigma, device=x.device)
    c, r = x.shape[1], k.numel() // 2
    x = F.conv2d(F.pad(x, (r, r, 0, 0), mode='reflect'), k.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(F.pad(x, (0, 0, r, r), mode='reflect'), k.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)


def downscale(x, scale, mode):
    h, w = x.shape[-2] // scale, x.shape[-1] // scale
    if mode == 'bicubic':  # antialiased Keys a=-0.5, like PIL / sharp 'cubic' downscaling
        return F.interpolate(x, size=(h, w), mode='bicubic', align_corners=False, antialias=True)
    if mode == 'bilinear':
        return F.interpolate(x, size=(h, w), mode='bilinear', align_corners=False, antialias=True)
    if mode == 'area':
        return F.avg_pool2d(x, scale)
    if mode == 'bicubic-noaa':  # aliased: what naive engines/tools produce
        return F.interpolate(x, size=(h, w), mode='bicubic', align_corners=False)
    raise ValueError(mode)


_QY = torch.tensor([16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
                    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
                    92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99],
                   dtype=torch.float32).view(8, 8)
_QC = torch.full((8, 8), 99.0)
_QC[:4, :4] = torch.tensor([[17, 18, 24, 47], [18, 21, 26, 66], [24, 26, 56, 99], [47, 66, 99, 99]],
                           dtype=torch.float32)


def _dct_matrix(device):
    n = torch.arange(8, dtype=torch.float32, device=device)
    d = torch.cos((2 * n[None, :] + 1) * n[:, None] * math.pi / 16) * math.sqrt(2 / 8)
    d[0] /= math.sqrt(2)
    return d


def _blockwise_quant(x, q, d):
    b, c, h, w = x.shape
    blk = x.view(b, c, h // 8, 8, w // 8, 8).permute(0, 1, 2, 4, 3, 5)
    coef = d @ blk @ d.t()
    coef = torch.round(coef / q) * q
    blk = d.t() @ coef @ d
    return blk.permute(0, 1, 2, 4, 3, 5).reshape(b, c, h, w)


def jpeg(x, quality):
    """Baseline JPEG (4:2:0, standard tables scaled by quality, coefficient rounding) simulated on tensors.
    x: B,3,H,W in 0..1 with H, W multiples of 16. Returns B,3,H,W."""
    dev = x.device
    s = 5000.0 / quality if quality < 50 else 200.0 - 2.0 * quality
    qy = torch.clamp(torch.floor((_QY.to(dev) * s + 50) / 100), 1, 255)
    qc = torch.clamp(torch.floor((_QC.to(dev) * s + 50) / 100), 1, 255)
    d = _dct_matrix(dev)
    r, g, bl = x[:, 0:1] * 255, x[:, 1:2] * 255, x[:, 2:3] * 255
    y = 0.299 * r + 0.587 * g + 0.114 * bl
    cb = -0.168736 * r - 0.331264 * g + 0.5 * bl
    cr = 0.5 * r - 0.418688 * g - 0.081312 * bl
    y = _blockwise_quant(y - 128, qy, d) + 128
    c = F.avg_pool2d(torch.cat([cb, cr], 1), 2)
    c = _blockwise_quant(c, qc, d)
    c = F.interpolate(c, scale_factor=2, mode='bilinear', align_corners=False)
    cb, cr = c[:, 0:1], c[:, 1:2]
    r = y + 1.402 * cr
    g = y - 0.344136 * cb - 0.714136 * cr
    bl = y + 1.772 * cb
    return torch.cat([r, g, bl], 1) / 255


def degrade(hr, scale, gen, p_clean=0.7, groups=4, p_each=0.3):
    """Make LR inputs from HR patches (B,3,H,W, 0..1). The batch is cut into `groups`; each group gets its own
    random degradation. With probability p_clean a group gets exactly the evaluation degradation (antialiased
    bicubic); otherwise: a random downscale kernel (bicubic, bilinear, area, aliased bicubic), and each with
    probability p_each: Gaussian pre-blur (sigma 0.3-1.0), Gaussian noise (0.5-3/255, grey or colour),
    JPEG (q 60-95).
    Every LR is quantised to 8 bits like a stored texture."""
    out = []
    for part in hr.chunk(groups):
        u = torch.rand(8, generator=gen).tolist()
        if u[0] < p_clean:
            lr = downscale(part, scale, 'bicubic')
        else:
            x = part
            if u[1] < p_each:
                x = blur(x, 0.3 + 0.7 * u[2])
            mode = ['bicubic', 'bilinear', 'area', 'bicubic-noaa'][min(3, int(u[3] * 4))]
            lr = downscale(x, scale, mode).clamp(0, 1)
            if u[4] < p_each:
                sig = (0.5 + 2.5 * u[5]) / 255
                if u[6] < 0.3:
                    n = torch.randn(lr.shape[0], 1, *lr.shape[2:], device=lr.device) * sig
                else:
                    n = torch.randn(lr.shape, device=lr.device) * sig
                lr = (lr + n).clamp(0, 1)
            if u[7] < p_each:
                lr = jpeg(lr.clamp(0, 1), 60 + 35 * float(torch.rand(1, generator=gen)))
        out.append(lr.clamp(0, 1))
    lr = torch.cat(out)
    return torch.round(lr * 255) / 255


# ----------------------------------------------------------------------------------------------- loss / metrics
def log_kernel(size=15, sigma=1.5, device='cpu'):
    """Laplacian-of-Gaussian kernel (zero-sum), as in HFEN (Ravishankar & Bresler 2011: 15x15, sigma 1.5)."""
    r = size // 2
    t = torch.arange(-r, r + 1, dtype=torch.float64)
    yy, xx = torch.meshgrid(t, t, indexing='ij')
    g = torch.exp(-(xx ** 2 + yy ** 2) / (2 * sigma ** 2))
    k = (xx ** 2 + yy ** 2 - 2 * sigma ** 2) / sigma ** 4 * g
    k = k - k.mean()
    return k.float().to(device)


def log_filter(x, k):
    c, r = x.shape[1], k.shape[-1] // 2
    return F.conv2d(F.pad(x, (r, r, r, r), mode='reflect'), k.view(1, 1, *k.shape).repeat(c, 1, 1, 1), groups=c)


def charbonnier(a, b, eps=1e-3):
    return torch.sqrt((a - b) ** 2 + eps * eps).mean()


def luma(x):  # x: B,3,H,W (0..1 or 0..255) -> B,1,H,W, BT.601
    return 0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3]


def psnr(a, b):
    """a, b: uint8 HxWx3 arrays. PSNR over all RGB samples, no border shave."""
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float('inf') if mse == 0 else 10 * math.log10(255.0 ** 2 / mse)


def _t(a):
    return torch.from_numpy(np.ascontiguousarray(a)).float().permute(2, 0, 1)[None]


def _sep(x, kx, ky):
    """Separable 'valid' filtering of B,1,H,W with 1-D kernels kx (along rows) and ky (along columns)."""
    x = F.conv2d(x, kx.view(1, 1, 1, -1))
    return F.conv2d(x, ky.view(1, 1, -1, 1))


_G11 = gaussian_kernel1d(1.5, 5)


def ssim(a, b):
    """SSIM (Wang et al. 2004) on BT.601 luma (0..255): Gaussian window 11x11 sigma 1.5, K1=0.01, K2=0.03,
    mean over the 'valid' window positions. Same definition as plugin/metrics/ssim.ts (float32 here)."""
    x, y = luma(_t(a)), luma(_t(b))
    f = lambda z: _sep(z, _G11, _G11)
    mx, my = f(x), f(y)
    sxx, syy, sxy = f(x * x) - mx * mx, f(y * y) - my * my, f(x * y) - mx * my
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    m = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    return float(m.double().mean())


_G15 = gaussian_kernel1d(1.5, 7).double()
_R15 = torch.arange(-7, 8, dtype=torch.float64)
_G15b = _G15 * (_R15 ** 2 - 1.5 ** 2) / 1.5 ** 4
_DC15 = float(2 * _G15b.sum() * _G15.sum() / 225)


def log15(x):
    """MATLAB fspecial('log', 15, 1.5) applied separably (G''(x)G(y) + G(x)G''(y) minus the zero-sum
    constant times a 15x15 box), reflect padding; as plugin/metrics/hfen.ts."""
    g, g2 = _G15.float(), _G15b.float()
    xp = F.pad(x, (7, 7, 7, 7), mode='reflect')
    box = torch.ones(15)
    return _sep(xp, g2, g) + _sep(xp, g, g2) - _DC15 * _sep(xp, box, box)


def hfen(a, b):
    """HFEN = ||LoG(a) - LoG(b)||_2 / ||LoG(b)||_2 on BT.601 luma (b = reference), LoG 15x15 sigma 1.5
    (Ravishankar & Bresler 2011). Lower is better."""
    la, lb = log15(luma(_t(a))).double(), log15(luma(_t(b))).double()
    return float(torch.linalg.norm(la - lb) / torch.linalg.norm(lb).clamp_min(1e-12))


def run_model(model, lr_u8, device='cpu'):
    """lr_u8: HxWx3 uint8 -> model output HxWx3 uint8 (clamped, rounded)."""
    x = torch.from_numpy(np.ascontiguousarray(lr_u8)).to(device).permute(2, 0, 1)[None].float() / 255
    with torch.no_grad():
        y = model(x).clamp(0, 1)
    return (y[0].permute(1, 2, 0) * 255).round().byte().cpu().numpy()
