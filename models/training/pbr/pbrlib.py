"""Network and metrics shared by train_pbr.py, evaluate_pbr.py and export_pbr.py.

PbrNet = HeuristicPrior + a small U-Net correction. The prior is the Materialize-style heuristic
(plugin/ops/pbr/heuristic.ts) written as fixed separable convolutions: luminance blurred at sigma
1, 2, 4, 8, 16, 32, summed with learnable softmax weights (initialised to the heuristic's tuned falloff), central-difference gradient times a learnable
strength. The U-Net (3 levels: full, 1/2, 1/4 resolution) adds a per-texel correction to those slopes
(its last layer starts at zero, so training starts from the heuristic and can only be judged by what
it adds). Colour (NCHW sRGB 0..1) in, 4 channels out:
  0, 1  slope_x, slope_y: the tangent-space normal is normalize(slope_x, slope_y, 1) (glTF: +X right, +Y up);
        predicting slopes keeps n_z > 0 by construction, and slopes blend linearly across tiles.
  2     height, relative (only differences matter; the Node side rescales each image to 0..1)
  3     roughness in 0..1 (sigmoid)
Input sides must be multiples of 4 (the Node side pads).
"""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

LUMA = (0.2126, 0.7152, 0.0722)


class HeuristicPrior(nn.Module):
    """Slopes of a multi-scale luminance height (see module doc); replicate padding at the edges."""

    def __init__(self, sigmas=(1, 2, 4, 8, 16, 32), strength=16.0, falloff=0.7):
        super().__init__()
        self.sigmas = sigmas
        self.log_strength = nn.Parameter(torch.tensor(math.log(strength)))
        # Level k weighs falloff^k (softmax of k*log(falloff)): the heuristic's tuned defaults.
        self.level_logits = nn.Parameter(torch.arange(len(sigmas), dtype=torch.float32) * math.log(falloff))
        for i, s in enumerate(sigmas):
            r = int(math.ceil(3 * s))
            x = torch.arange(-r, r + 1, dtype=torch.float32)
            g = torch.exp(-x ** 2 / (2 * s * s))
            self.register_buffer(f'g{i}', (g / g.sum()).view(1, 1, 1, -1))
        self.register_buffer('luma', torch.tensor(LUMA).view(1, 3, 1, 1))

    def forward(self, x):
        y = (x * self.luma).sum(1, keepdim=True)
        w = torch.softmax(self.level_logits, 0)
        h = 0
        for i in range(len(self.sigmas)):
            g = getattr(self, f'g{i}')
            r = g.shape[-1] // 2
            b = F.conv2d(F.pad(y, (r, r, 0, 0), mode='replicate'), g)
            b = F.conv2d(F.pad(b, (0, 0, r, r), mode='replicate'), g.transpose(2, 3))
            h = h + w[i] * b
        hp = F.pad(h, (1, 1, 1, 1), mode='replicate')
        dx = (hp[:, :, 1:-1, 2:] - hp[:, :, 1:-1, :-2]) * 0.5
        dy = (hp[:, :, 2:, 1:-1] - hp[:, :, :-2, 1:-1]) * 0.5
        s = self.log_strength.exp()
        return torch.cat([-s * dx, s * dy], 1)


class LinearPrior(nn.Module):
    """Slopes of a learned linear height: h = sum over channels c and levels k of w[c, k] * blur_sigma_k(x_c).

    Like HeuristicPrior but the level weights are free and signed (band-pass combinations such as
    blur_1 - blur_2 are allowed, which the heuristic's positive falloff weights cannot express), and
    `channels` = 'rgb' weighs the three colour channels separately ('luma': one channel). Initialised
    from a least-squares fit of the slopes on the training split (fit_prior.py); replicate edges.
    """

    def __init__(self, sigmas=(1, 2, 4, 8, 16, 32), channels='rgb', weights=None):
        super().__init__()
        self.sigmas = sigmas
        self.nc = 3 if channels == 'rgb' else 1
        w = torch.zeros(self.nc, len(sigmas)) if weights is None else torch.tensor(weights, dtype=torch.float32).view(self.nc, len(sigmas))
        self.weights = nn.Parameter(w)
        for i, s in enumerate(sigmas):
            r = int(math.ceil(3 * s))
            x = torch.arange(-r, r + 1, dtype=torch.float32)
            g = torch.exp(-x ** 2 / (2 * s * s))
            self.register_buffer(f'g{i}', (g / g.sum()).view(1, 1, 1, -1).repeat(self.nc, 1, 1, 1))
        self.register_buffer('luma', torch.tensor(LUMA).view(1, 3, 1, 1))

    def levels(self, x):
        """(N, nc * levels, H, W): every channel blurred at every sigma (level-major)."""
        y = x if self.nc == 3 else (x * self.luma).sum(1, keepdim=True)
        out = []
        for i in range(len(self.sigmas)):
            g = getattr(self, f'g{i}')
            r = g.shape[-1] // 2
            b = F.conv2d(F.pad(y, (r, r, 0, 0), mode='replicate'), g, groups=self.nc)
            b = F.conv2d(F.pad(b, (0, 0, r, r), mode='replicate'), g.transpose(2, 3), groups=self.nc)
            out.append(b)
        return torch.cat(out, 1)

    def forward(self, x):
        b = self.levels(x)
        w = self.weights.t().reshape(1, -1, 1, 1)  # level-major, matching levels()
        h = (b * w).sum(1, keepdim=True)
        hp = F.pad(h, (1, 1, 1, 1), mode='replicate')
        dx = (hp[:, :, 1:-1, 2:] - hp[:, :, 1:-1, :-2]) * 0.5
        dy = (hp[:, :, 2:, 1:-1] - hp[:, :, :-2, 1:-1]) * 0.5
        return torch.cat([-dx, dy], 1)


def conv(cin, cout, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1), nn.LeakyReLU(0.1, inplace=True))


class PbrNet(nn.Module):
    """prior='heuristic' (the shipped v1: HeuristicPrior) or 'linear' (LinearPrior; prior_weights from fit_prior.py)."""

    def __init__(self, c0=16, c1=32, c2=48, prior='heuristic', prior_channels='rgb', prior_weights=None):
        super().__init__()
        self.e0 = nn.Sequential(conv(3, c0), conv(c0, c0))
        self.e1 = nn.Sequential(conv(c0, c1, 2), conv(c1, c1))
        self.e2 = nn.Sequential(conv(c1, c2, 2), conv(c2, c2), conv(c2, c2), conv(c2, c2))
        self.d1 = nn.Sequential(conv(c2 + c1, c1), conv(c1, c1))
        self.d0 = nn.Sequential(conv(c1 + c0, c0), conv(c0, c0))
        self.head = nn.Conv2d(c0, 4, 3, 1, 1)
        self.prior = HeuristicPrior() if prior == 'heuristic' else LinearPrior(channels=prior_channels, weights=prior_weights)
        with torch.no_grad():  # start from the heuristic: zero correction to the slopes
            self.head.weight[:2].zero_()
            self.head.bias[:2].zero_()

    def forward(self, x):
        x0 = self.e0(x - 0.5)
        x1 = self.e1(x0)
        x2 = self.e2(x1)
        y1 = self.d1(torch.cat([F.interpolate(x2, scale_factor=2.0, mode='bilinear', align_corners=False), x1], 1))
        y0 = self.d0(torch.cat([F.interpolate(y1, scale_factor=2.0, mode='bilinear', align_corners=False), x0], 1))
        o = self.head(y0)
        return torch.cat([o[:, 0:2] + self.prior(x), o[:, 2:3], torch.sigmoid(o[:, 3:4])], 1)


def slopes_to_normal(s):
    """(N,2,H,W) slopes -> (N,3,H,W) unit normals."""
    n = torch.cat([s, torch.ones_like(s[:, :1])], 1)
    return n / n.norm(dim=1, keepdim=True)


def decode_normal_u8(t):
    """(N,3,H,W) 0..1 encoded normal -> unit vectors (n_z clamped >= 0)."""
    n = t * 2 - 1
    n = torch.cat([n[:, :2], n[:, 2:3].clamp(min=0)], 1)
    return n / n.norm(dim=1, keepdim=True).clamp(min=1e-6)


def angular_error_deg(a, b):
    """Mean angle in degrees between unit-vector fields (N,3,H,W)."""
    d = (a * b).sum(1).clamp(-1, 1)
    return torch.rad2deg(torch.acos(d)).mean().item()
