"""Checkpoint -> ONNX for the Node side (plugin/ops/pbr/cnn.ts).

The exported graph takes `input` (1x3xHxW sRGB 0..1, any H, W) and returns `output` (1x3xHxW):
slope_x, slope_y, roughness. The height head is trained (it shapes the shared features) but not
exported: Node integrates height from the normals, which keeps the three maps consistent and the
I/O at three channels (what the engine's tiler handles). Upsampling goes to the skip tensor's size,
so odd tile sizes work.

  python3 models/training/pbr/export_pbr.py models/training/pbr/checkpoints/remaster-pbr.pt models/pbr/remaster-pbr.onnx
"""
import os, sys
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from pbrlib import PbrNet


class Exported(torch.nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        n = self.net
        x0 = n.e0(x - 0.5)
        x1 = n.e1(x0)
        x2 = n.e2(x1)
        y1 = n.d1(torch.cat([F.interpolate(x2, size=x1.shape[2:], mode='bilinear', align_corners=False), x1], 1))
        y0 = n.d0(torch.cat([F.interpolate(y1, size=x0.shape[2:], mode='bilinear', align_corners=False), x0], 1))
        o = n.head(y0)
        return torch.cat([o[:, 0:2] + n.prior(x), torch.sigmoid(o[:, 3:4])], 1)


def main():
    ckpt, out = sys.argv[1], sys.argv[2]
    torch.set_num_threads(1)
    saved = torch.load(ckpt, map_location='cpu')
    net = PbrNet(**saved.get('net_args', {}))
    net.load_state_dict(saved['state'])
    net.eval()
    model = Exported(net).eval()
    x = torch.rand(1, 3, 64, 48)
    with torch.no_grad():
        ref = net(x)
        got = model(x)
    assert torch.allclose(ref[:, [0, 1, 3]], got, atol=1e-5), 'export wrapper differs from the trained net'
    torch.onnx.export(model, x, out, input_names=['input'], output_names=['output'], opset_version=13,
                      dynamic_axes={'input': {2: 'height', 3: 'width'}, 'output': {2: 'height', 3: 'width'}})
    print(f'{out}: {os.path.getsize(out)} bytes, {sum(p.numel() for p in net.parameters())} parameters')


if __name__ == '__main__':
    main()
