#!/bin/bash
# Train all Remaster SR models at once on one GPU machine (4 processes share the GPU; each is launch-bound,
# so running them side by side costs little). Used through the workplace's device tool:
#   carry: models/training/data/train.npz models/training/data/heldout_monitor.npz
#   command: bash models/training/run_device.sh 7.0
# Writes <name>.pt (EMA weights + config + monitor metrics) and <name>.log for every model into $OUT
# (or ./models/training/runs when OUT is unset). A 30-step preflight of every config runs first and aborts
# the whole run if any of them fails.
set -uo pipefail
MIN=${1:-7.0}
OUT=${OUT:-models/training/runs}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
T=models/training/train.py
D=models/training/data
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
python3 -c "import torch, PIL; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'PIL', PIL.__version__)"

# name scale nf nconv batch lr
# (run 1 also trained remaster-x2-quality 2 64 12 64 5e-4: it did not beat x2-fast, so run 2 dropped it and
#  trained an 8-conv x2 variant instead)
CONFIGS=(
  "remaster-x2-fast 2 32 6 64 1e-3"
  "remaster-x4-fast 4 32 8 128 1e-3"
  "remaster-x4-quality 4 64 16 64 5e-4"
  "remaster-x2-fast8 2 32 8 64 1e-3"
)

pre=()
for c in "${CONFIGS[@]}"; do
  set -- $c
  python3 $T --name "$1" --scale "$2" --nf "$3" --nconv "$4" --batch "$5" --lr "$6" --max-steps ${PREFLIGHT_STEPS:-30} \
    --data $D --out /tmp/preflight >/tmp/preflight-$1.txt 2>&1 &
  pre+=($!)
done
ok=1
for p in "${pre[@]}"; do wait "$p" || ok=0; done
for c in "${CONFIGS[@]}"; do set -- $c; tail -2 /tmp/preflight-$1.txt; done
[ $ok = 1 ] || { echo "PREFLIGHT FAILED"; cat /tmp/preflight-*.txt | tail -60; exit 3; }
echo "preflight ok $(date +%T)"

pids=()
for c in "${CONFIGS[@]}"; do
  set -- $c
  python3 $T --name "$1" --scale "$2" --nf "$3" --nconv "$4" --batch "$5" --lr "$6" --minutes "$MIN" \
    --eval-every 90 --data $D --out "$OUT" > "/tmp/$1.stdout" 2>&1 &
  pids+=($!)
done
sleep ${MONITOR_SLEEP:-60}; nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader || true
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
for c in "${CONFIGS[@]}"; do set -- $c; grep -E "params=|final|eval step|Error|error" "/tmp/$1.stdout" | tail -8; done
ls -la "$OUT"
exit $rc
