#!/usr/bin/env bash
# The GPU check, in one command on a machine that has only a driver (npm run gpu-bundle builds what it needs):
#   bash scripts/gpu-check.sh <bundle dir> <output dir> [--quick] [--budget seconds] [--data <ml-100k dir>]
# Unpacks Node, the CLI and Dawn into a temporary folder, finds a Vulkan loader (the machine's, else the bundle's
# libvulkan1) and driver (NVIDIA's files under /usr/local/nvidia when present), then on the webgpu backend:
#   1. the adapter (name, vendor, driver) — a tiny GLocal-K run with --backend webgpu must report it;
#   2. GLocal-K's loss + gradient evaluation time on an ML-100K-shaped (943 × 1682, 100k ratings) and an
#      ML-1M-shaped (6040 × 3706, 1M ratings) synthetic matrix (the backends benchmark's measure: seconds per
#      L-BFGS evaluation, from the run log);
#   3. the full GLocal-K ML-100K schedule (preset ml-100k: 30 + 60 epochs) on MovieLens-100K u1 when --data names
#      the folder, else on the ML-100K-shaped synthetic matrix (said in the row).
# Everything runs under one time budget (default 480 s); a step that would not fit is skipped and says so.
# --quick (CI on lavapipe, a software Vulkan): tiny schedules, so the bundle is exercised end to end in about a
# minute. Results: <output dir>/gpu-check.md (BENCHMARKS.md rows) and gpu-check.json; the exit status is 0 when
# every step that ran passed.
set -uo pipefail
BUNDLE=$(cd "${1:?usage: gpu-check.sh <bundle dir> <output dir> [--quick] [--budget s] [--data dir]}" && pwd)
OUTDIR=${2:?output dir}
shift 2
QUICK=0
BUDGET=480
DATA=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --budget) BUDGET=$2; shift ;;
    --data) DATA=$(cd "$2" && pwd); shift ;;
    *) echo "gpu-check: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
START=$(date +%s)
left() { echo $(( BUDGET - ($(date +%s) - START) )); }
say() { echo "[gpu-check] $*" >&2; }
W=$(mktemp -d /tmp/krl-gpu-XXXXXX)
trap 'rm -rf "$W"' EXIT

# --- unpack -----------------------------------------------------------------------------------------------------
if command -v xz >/dev/null 2>&1; then xz -dc "$BUNDLE/node.xz" > "$W/node"
else python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$BUNDLE/node.xz" "$W/node"; fi
chmod +x "$W/node"
tar -xzf "$BUNDLE/app.tar.gz" -C "$W"
NODE="$W/node"
CLI="$W/app/dist/cli.js"
"$NODE" --version >/dev/null || { say "the bundled Node does not run here"; exit 1; }
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1'; then
  if [ -f "$BUNDLE/libvulkan1.deb" ]; then
    dpkg-deb -x "$BUNDLE/libvulkan1.deb" "$W/vk" 2>/dev/null || (cd "$W" && ar x "$BUNDLE/libvulkan1.deb" && mkdir -p vk && tar -xf data.tar.* -C vk)
    export LD_LIBRARY_PATH="$W/vk/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    say "using the bundle's Vulkan loader"
  else
    say "no Vulkan loader on this machine and none in the bundle"
  fi
fi
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && [ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]; then
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
fi
DRIVER=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -1 || true)
[ -n "$DRIVER" ] || DRIVER="no nvidia-smi (software or other driver)"

# --- data ---------------------------------------------------------------------------------------------------------
"$NODE" "$CLI" synthetic --users 943 --items 1682 --ratings 100000 --seed 7 --out "$W/ml100k-shaped.tsv" 2>/dev/null
if [ $QUICK = 1 ]; then
  "$NODE" "$CLI" synthetic --users 300 --items 400 --ratings 12000 --seed 7 --out "$W/large-shaped.tsv" 2>/dev/null
  LARGE_LABEL="300 × 400 (quick)"
else
  "$NODE" "$CLI" synthetic --users 6040 --items 3706 --ratings 1000209 --seed 7 --out "$W/large-shaped.tsv" 2>/dev/null
  LARGE_LABEL="ML-1M-shaped 6040 × 3706"
fi

STATUS=0
ROWS=()
JSON=()
# train <label> <seconds limit> <args…>: one CLI run on webgpu; sets RUN (run folder) and RC
train() {
  local label=$1 limit=$2; shift 2
  RUN=""
  if [ "$(left)" -lt 20 ] || [ "$limit" -lt 20 ]; then say "$label: skipped, the time budget is spent"; RC=124; return; fi
  local t0=$(date +%s)
  timeout "$limit" "$NODE" "$CLI" train --backend webgpu --runs-dir "$W/runs" --json --quiet --no-progress "$@" > "$W/out.json" 2> "$W/err.txt"
  RC=$?
  SECS=$(( $(date +%s) - t0 ))
  RUN=$(ls -td "$W"/runs/*/ 2>/dev/null | head -1)
  if [ $RC -ne 0 ]; then say "$label: exit $RC after ${SECS} s: $(tail -3 "$W/err.txt" | tr '\n' ' ')"; STATUS=1; fi
}
# js <expression over run.json (r), summary.json (s) and log.txt (l)>
js() { "$NODE" -e 'const fs=require("fs"),d=process.argv[1];const rd=(f)=>{try{return fs.readFileSync(d+f,"utf8")}catch{return ""}};const r=JSON.parse(rd("run.json")||"{}"),s=JSON.parse(rd("summary.json")||"{}"),l=rd("log.txt");console.log(eval(process.argv[2]))' "$RUN" "$1"; }
# seconds per loss+gradient evaluation, from the log's "optimiser X s (N evaluations)" lines
PER_EVAL='(()=>{let t=0,n=0;for(const m of l.matchAll(/optimiser ([\d.]+) s \((\d+) evaluations\)/g)){t+=+m[1];n+=+m[2]}return n?(t/n).toFixed(3):"—"})()'

# 1. adapter
train "adapter" 120 --model glocal-k --train "$W/ml100k-shaped.tsv" --split random:0.1:1 --set hidden=16 --set preEpochs=1 --set preMaxiter=2 --set fineEpochs=0
ADAPTER="—"
if [ $RC -eq 0 ]; then ADAPTER=$(js 'r.backend.name+": "+r.backend.device'); fi
say "adapter: $ADAPTER · $DRIVER"

# 2. evaluation time per shape
EPOCHS="--set preEpochs=1 --set preMaxiter=3 --set fineEpochs=1 --set fineMaxiter=2"
for shape in ml100k large; do
  [ $shape = ml100k ] && LABEL="ML-100K-shaped 943 × 1682" || LABEL=$LARGE_LABEL
  train "evaluation $shape" $(( $(left) / 2 )) --model glocal-k --train "$W/$shape-shaped.tsv" --split random:0.1:1 $EPOCHS $([ $QUICK = 1 ] && echo --set hidden=32)
  if [ $RC -eq 0 ]; then
    PE=$(js "$PER_EVAL")
    ROWS+=("| GLocal-K loss + gradient evaluation, $LABEL$([ $QUICK = 1 ] && echo ', hidden 32') | $ADAPTER | $DRIVER | ${PE} s per evaluation | $(js 's.seconds.toFixed(1)') s for one pre-training epoch of 3 and one fine-tuning epoch of 2 L-BFGS iterations |")
    JSON+=("{\"check\":\"evaluation\",\"shape\":\"$LABEL\",\"secondsPerEvaluation\":\"$PE\"}")
  fi
done

# 3. the full ML-100K schedule
if [ $QUICK = 1 ]; then
  FULL=(--model glocal-k --preset ml-100k --train "$W/ml100k-shaped.tsv" --split random:0.2:1 --set hidden=32 --set preEpochs=2 --set fineEpochs=2)
  FULL_LABEL="GLocal-K ml-100k preset cut to 2 + 2 epochs, hidden 32, ML-100K-shaped synthetic (quick)"
elif [ -n "$DATA" ] && [ -f "$DATA/u1.base" ]; then
  FULL=(--model glocal-k --preset ml-100k --train "$DATA/u1.base" --split given)
  FULL_LABEL="GLocal-K full ML-100K schedule (30 + 60 epochs), MovieLens-100K u1"
else
  FULL=(--model glocal-k --preset ml-100k --train "$W/ml100k-shaped.tsv" --split random:0.2:1)
  FULL_LABEL="GLocal-K full ML-100K schedule (30 + 60 epochs), ML-100K-shaped synthetic matrix"
fi
train "full schedule" $(( $(left) - 5 )) "${FULL[@]}"
if [ $RC -eq 0 ]; then
  ROWS+=("| $FULL_LABEL | $ADAPTER | $DRIVER | $(js 's.seconds.toFixed(1)') s wall; test RMSE (a) $(js 's.selection.valSelected.test.rmse.toFixed(4)') | $(js "$PER_EVAL") s per evaluation |")
  JSON+=("{\"check\":\"full\",\"label\":\"$FULL_LABEL\",\"seconds\":$(js 's.seconds')}")
fi

{
  echo "GPU check $(date -u +%Y-%m-%d) · bundle $(head -1 "$BUNDLE/MANIFEST.txt" 2>/dev/null | sed 's/.* from //') · $(uname -m) · budget ${BUDGET} s$([ $QUICK = 1 ] && echo ' · --quick')"
  echo
  echo "| check | adapter | driver | result | detail |"
  echo "|---|---|---|---|---|"
  for r in "${ROWS[@]}"; do echo "$r"; done
} > "$OUTDIR/gpu-check.md"
(IFS=,; echo "{\"adapter\":\"$ADAPTER\",\"driver\":\"$DRIVER\",\"quick\":$QUICK,\"status\":$STATUS,\"rows\":[${JSON[*]}]}") > "$OUTDIR/gpu-check.json"
cat "$OUTDIR/gpu-check.md"
say "done in $(( $(date +%s) - START )) s (status $STATUS)"
exit $STATUS
