#!/usr/bin/env python3
"""Export a checkpoint from train.py to ONNX and check it against PyTorch with onnxruntime-node.

    python3 models/training/export.py models/training/runs/remaster-x4-fast.pt models/remaster-x4-fast.onnx

I/O convention (what Remaster's engine codes against):
  input  "input"  float32 NCHW [N,3,H,W], RGB, 0..1 (sRGB-encoded values as stored in the texture)
  output "output" float32 NCHW [N,3,H*s,W*s], RGB, clamped to 0..1 inside the graph
  N, H and W are dynamic; opset 17. Works for any H, W >= 1 (no multiple-of constraint).
The check runs the ONNX file through onnxruntime-node (the runtime the product uses) on odd-sized random and
real inputs and prints the max |onnx - torch| difference; it exits non-zero above 1e-4.
"""
import argparse, json, os, subprocess, sys, tempfile
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import srlib  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))


class Clamped(torch.nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.clamp(self.net(x), 0.0, 1.0)


def load(ckpt_path):
    ck = torch.load(ckpt_path, map_location='cpu')
    c = ck['config']
    m = srlib.SRVGGCompact(c['scale'], c['nf'], c['nconv'])
    m.load_state_dict(ck['state_dict'])
    return m.eval(), ck


NODE_CHECK = r"""
const ort = require('onnxruntime-node');
const fs = require('fs');
(async () => {
  const [model, dir] = process.argv.slice(2);
  const cases = JSON.parse(fs.readFileSync(dir + '/cases.json', 'utf8'));
  const s = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  const out = { inputs: s.inputNames, outputs: s.outputNames, cases: [] };
  for (const c of cases) {
    const buf = fs.readFileSync(dir + '/' + c.file + '.in');
    const x = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    const r = await s.run({ input: new ort.Tensor('float32', x, c.shape) });
    const y = r.output;
    fs.writeFileSync(dir + '/' + c.file + '.ort', Buffer.from(y.data.buffer, y.data.byteOffset, y.data.byteLength));
    out.cases.push({ file: c.file, dims: y.dims });
  }
  console.log(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('ckpt')
    ap.add_argument('onnx_out')
    ap.add_argument('--opset', type=int, default=17)
    args = ap.parse_args()
    torch.set_num_threads(1)
    m, ck = load(args.ckpt)
    s = ck['config']['scale']
    net = Clamped(m).eval()
    dummy = torch.rand(1, 3, 24, 20)
    torch.onnx.export(net, dummy, args.onnx_out, opset_version=args.opset, input_names=['input'],
                      output_names=['output'], do_constant_folding=True,
                      dynamic_axes={'input': {0: 'batch', 2: 'height', 3: 'width'},
                                    'output': {0: 'batch', 2: 'height_out', 3: 'width_out'}})
    print(f'exported {args.onnx_out} ({os.path.getsize(args.onnx_out)} bytes), params={srlib.n_params(m)}, x{s}')

    # Cross-check with onnxruntime-node on odd sizes, a batch of 2, and a real held-out crop.
    with tempfile.TemporaryDirectory() as d:
        g = torch.Generator().manual_seed(0)
        xs = {'rand_37x53': torch.rand(1, 3, 37, 53, generator=g), 'rand_b2_16x9': torch.rand(2, 3, 16, 9, generator=g)}
        held = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'heldout')
        if os.path.isdir(held):
            from PIL import Image
            f = sorted(os.listdir(held))[0]
            a = np.asarray(Image.open(os.path.join(held, f)).convert('RGB'))[:64, :96]
            xs['real_' + f.split('.')[0][:40]] = torch.from_numpy(a.copy()).permute(2, 0, 1)[None].float() / 255
        cases = []
        for k, x in xs.items():
            x.numpy().astype(np.float32).tofile(os.path.join(d, k + '.in'))
            cases.append(dict(file=k, shape=list(x.shape)))
        json.dump(cases, open(os.path.join(d, 'cases.json'), 'w'))
        js = os.path.join(d, 'check.js')
        open(js, 'w').write(NODE_CHECK)
        env = dict(os.environ, NODE_PATH=os.path.join(REPO, 'node_modules'))
        r = subprocess.run(['node', js, os.path.abspath(args.onnx_out), d], capture_output=True, text=True, env=env,
                           cwd=REPO)
        if r.returncode != 0:
            print(r.stderr)
            sys.exit(1)
        info = json.loads(r.stdout)
        print('onnxruntime-node inputs', info['inputs'], 'outputs', info['outputs'])
        worst = 0.0
        for c in info['cases']:
            x = xs[c['file']]
            with torch.no_grad():
                ref = net(x).numpy()
            got = np.fromfile(os.path.join(d, c['file'] + '.ort'), np.float32).reshape(c['dims'])
            diff = float(np.abs(got - ref).max())
            worst = max(worst, diff)
            print(f"  {c['file']}: in {list(x.shape)} -> out {c['dims']}, max|ort-torch|={diff:.2e}, "
                  f"range [{got.min():.3f},{got.max():.3f}]")
        print(f'max abs diff over cases: {worst:.2e}')
        if worst > 1e-4:
            sys.exit(2)


if __name__ == '__main__':
    main()
