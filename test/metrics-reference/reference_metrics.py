#!/usr/bin/env python3
"""Independent reference values for test/metrics.test.ts, written straight from the papers'
definitions with numpy (direct 2-D windows, no separable tricks), to check the TypeScript metrics.

    /usr/bin/python3 test/metrics-reference/reference_metrics.py REF.png TEST.png

PSNR: 10 log10(255^2 / MSE) over RGB and over BT.601 luma. SSIM: Wang et al. 2004, 11x11 Gaussian
sigma 1.5, K1 0.01, K2 0.03, valid window positions, luma. HFEN: Ravishankar & Bresler 2011,
fspecial('log', 15, 1.5), edges reflected without repeating the edge texel (numpy 'reflect'), luma.
"""
import sys
import numpy as np
from PIL import Image


def load(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float64)


def luma(rgb):
    return 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]


def psnr(a, b):
    return 10 * np.log10(255.0 ** 2 / np.mean((a - b) ** 2))


def window_filter(img, kernel):
    """Direct correlation with a 2-D kernel over 'valid' positions."""
    kh, kw = kernel.shape
    h, w = img.shape
    out = np.zeros((h - kh + 1, w - kw + 1))
    for dy in range(kh):
        for dx in range(kw):
            out += kernel[dy, dx] * img[dy:dy + h - kh + 1, dx:dx + w - kw + 1]
    return out


def gaussian2d(size, sigma):
    r = (size - 1) / 2
    y, x = np.mgrid[0:size, 0:size] - r
    g = np.exp(-(x ** 2 + y ** 2) / (2 * sigma ** 2))
    return g / g.sum(), x, y


def ssim(a, b):
    g, _, _ = gaussian2d(11, 1.5)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    ma, mb = window_filter(a, g), window_filter(b, g)
    va = window_filter(a * a, g) - ma ** 2
    vb = window_filter(b * b, g) - mb ** 2
    cov = window_filter(a * b, g) - ma * mb
    return np.mean(((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma ** 2 + mb ** 2 + c1) * (va + vb + c2)))


def log_kernel(size=15, sigma=1.5):
    """MATLAB fspecial('log', size, sigma)."""
    h, x, y = gaussian2d(size, sigma)
    h1 = h * (x ** 2 + y ** 2 - 2 * sigma ** 2) / sigma ** 4
    return h1 - h1.sum() / h1.size


def hfen(ref, test):
    k = log_kernel()
    pad = lambda im: np.pad(im, 7, mode="reflect")
    lr, lt = window_filter(pad(ref), k), window_filter(pad(test), k)
    return np.linalg.norm(lt - lr) / np.linalg.norm(lr)


if __name__ == "__main__":
    ref, test = load(sys.argv[1]), load(sys.argv[2])
    yr, yt = luma(ref), luma(test)
    print(f"psnr {psnr(ref, test):.6f} psnrY {psnr(yr, yt):.6f} ssim {ssim(yr, yt):.6f} hfen {hfen(yr, yt):.6f}")
