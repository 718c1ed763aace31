"""Network and metrics shared by train_pbr.py, evaluate_pbr.py and export_pbr.py.

PbrNet = HeuristicPrior + a small U-Net correction. The prior is the Materialize-style heuristic
(plugin/ops/pbr/heuristic.ts) written as fixed separable convolutions: luminance blurred at sigma
1, 2, 4, 8, 16, summed with learnable softmax weights, central-difference gradient times a learnable
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

    def __init__(self, sigmas=(1, 2, 4, 8, 16), strength=16.0):
        super().__init__()
        self.sigmas = sigmas
        self.log_strength = nn.Parameter(torch.tensor(math.log(strength)))
        self.level_logits = nn.Parameter(torch.zeros(len(sigmas)))
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


def conv(cin, cout, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1), nn.LeakyReLU(0.1, inplace=True))


class PbrNet(nn.Module):
    def __init__(self, c0=16, c1=32, c2=48):
        super().__init__()
        self.e0 = nn.Sequential(conv(3, c0), conv(c0, c0))
        self.e1 = nn.Sequential(conv(c0, c1, 2), conv(c1, c1))
        self.e2 = nn.Sequential(conv(c1, c2, 2), conv(c2, c2), conv(c2, c2), conv(c2, c2))
        self.d1 = nn.Sequential(conv(c2 + c1, c1), conv(c1, c1))
        self.d0 = nn.Sequential(conv(c1 + c0, c0), conv(c0, c0))
        self.head = nn.Conv2d(c0, 4, 3, 1, 1)
        self.prior = HeuristicPrior()
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
