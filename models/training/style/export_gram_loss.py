"""
Exports models/style/gram-loss.onnx: the style loss of Remaster's `gram` style method and its gradient
with respect to the image, as one ONNX graph (ONNX Runtime has no autograd, so the backward pass is
written out by hand below; the graph has NO trained weights — the random filters are inputs, drawn
from the user's seed in TypeScript).

Features (Ustyuzhaninov et al. 2017, "What does it take to generate natural textures?": random
shallow filters carry texture statistics): for each dilation d in DILATIONS, F_d = relu(conv_d(x) + b_d),
3x3 random filters over RGB with taps d texels apart and circular (wrap-around) padding, so tiling
textures stay tiling. Statistics: Gram matrices G_d = F_d F_d^T / N. Loss: sum_d |G_d - T_d|^2 / |T_d|^2.

Gradient, per dilation: dL/dG = 2 (G - T) / |T|^2; dL/dF = 2 dL/dG F / N (G symmetric); masked by
F > 0; dL/dx = circular correlation of that with the flipped, transposed filters (the adjoint of a
circular convolution), which TypeScript passes in as `wt`.

Run by hand (CPU, seconds):  /usr/bin/python3 models/training/style/export_gram_loss.py
Inputs:  x [1,3,H,W]; w [D,C,3,3,3]; wt [D,3,C,3,3]; b [D,C]; t [D,C,C] (target Grams; zeros to just read Grams)
Outputs: loss [] ; grad [1,3,H,W] ; grams [D,C,C]
"""
import os
import torch
import torch.nn.functional as F

DILATIONS = [1, 2, 4, 8, 16]


def circ_pad(x, p):
    # Wrap-around padding written as slices and concatenation (exports to plain ONNX Slice/Concat).
    x = torch.cat([x[:, :, -p:, :], x, x[:, :, :p, :]], dim=2)
    return torch.cat([x[:, :, :, -p:], x, x[:, :, :, :p]], dim=3)


class GramLoss(torch.nn.Module):
    def forward(self, x, w, wt, b, t):
        n = x.shape[2] * x.shape[3]
        loss = torch.zeros(())
        grad = torch.zeros_like(x)
        grams = []
        for i, d in enumerate(DILATIONS):
            f = F.relu(F.conv2d(circ_pad(x, d), w[i], b[i], dilation=d))  # [1,C,H,W]
            c = f.shape[1]
            flat = f.reshape(c, -1)  # [C,N]
            g = flat @ flat.t() / n
            grams.append(g)
            diff = g - t[i]
            norm = (t[i] * t[i]).sum() + 1e-8
            loss = loss + (diff * diff).sum() / norm
            dg = 2.0 * diff / norm
            df = (2.0 / n) * (dg @ flat)  # [C,N]
            df = df.reshape(f.shape) * (f > 0).to(f.dtype)
            grad = grad + F.conv2d(circ_pad(df, d), wt[i], None, dilation=d)
        return loss, grad, torch.stack(grams)


def main():
    out = os.path.join(os.path.dirname(__file__), '..', '..', 'style', 'gram-loss.onnx')
    D, C, H, W = len(DILATIONS), 24, 64, 64
    torch.manual_seed(0)
    x = torch.rand(1, 3, H, W)
    w = torch.randn(D, C, 3, 3, 3)
    wt = w.flip(3, 4).transpose(1, 2).contiguous()
    b = torch.zeros(D, C)
    t = torch.rand(D, C, C)
    t = t + t.transpose(1, 2)  # targets are Grams: symmetric
    model = GramLoss()
    # Check the hand-written gradient against autograd before exporting.
    xg = x.clone().requires_grad_(True)
    loss, grad, _ = model(xg, w, wt, b, t)
    auto, = torch.autograd.grad(loss, xg)
    err = (auto - grad).abs().max().item() / auto.abs().max().item()
    print(f'gradient check: max relative error {err:.2e}')
    assert err < 1e-4
    torch.onnx.export(
        model, (x, w, wt, b, t), out, opset_version=17,
        input_names=['x', 'w', 'wt', 'b', 't'], output_names=['loss', 'grad', 'grams'],
        dynamic_axes={'x': {2: 'height', 3: 'width'}, 'grad': {2: 'height', 3: 'width'},
                      'w': {1: 'channels'}, 'wt': {2: 'channels'}, 'b': {1: 'channels'},
                      't': {1: 'channels', 2: 'channels'}, 'grams': {1: 'channels', 2: 'channels'}},
    )
    print(f'wrote {os.path.normpath(out)} ({os.path.getsize(out)} bytes)')


if __name__ == '__main__':
    torch.set_num_threads(1)
    main()
