#!/usr/bin/env bash
# Side by side with PyTorch on one GPU machine, in one command (docs/sidebyside.md):
#   1. parity: ExportAndRun (our UNet-S forward at batch 1 and 128, a 50-step DDIM) then parity.py, which fails
#      unless PyTorch (TF32 off) agrees: forward max|a-b|/max|b| < 1e-4, DDIM sample < 1e-3;
#   2. our JMH benchmarks (UNet-S forward, train step, DDIM 50 / DDPM 1000 sampling, launch overhead);
#   3. the same workloads in PyTorch: eager TF32 off, eager TF32 on, torch.compile, compile reduce-overhead;
#   4. the markdown table (ours, the four PyTorch columns, ours / PyTorch, kernels per forward, machine, date,
#      commit), printed and written to $OUT/table.md; with --append also put at the top of benchmarks/RESULTS.md.
#
#   benchmarks/sidebyside.sh [--append]
#
# Java: `java -cp "$D4J_CP"` when D4J_CP is set (a bundle of jars), else the jars built here with Maven.
# Environment: D4J_DEVICE (default opencl: the first GPU), SIDEBYSIDE_OUT (default benchmarks/target/sidebyside),
# SIDEBYSIDE_QUICK=1 (few iterations: a smoke test), SIDEBYSIDE_TF32=1 (also our UNet-S forward and train step
# under the tf32 precision policy: tensor cores, NVIDIA only; the table gains an "ours tf32" column), SIDEBYSIDE_SKIP_TORCH=1 (Java only, e.g. on a machine
# without PyTorch), SIDEBYSIDE_IGNORE_PARITY=1 (time even if parity fails; the table says it failed).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
append=0
[[ ${1:-} == --append ]] && append=1
OUT=${SIDEBYSIDE_OUT:-$ROOT/benchmarks/target/sidebyside}
DEVICE=${D4J_DEVICE:-opencl}
QUICK=${SIDEBYSIDE_QUICK:-0}
mkdir -p "$OUT"
commit=${D4J_COMMIT:-$(git rev-parse --short HEAD 2> /dev/null || echo unknown)}
if [[ -z ${D4J_COMMIT:-} && -n $(git status --porcelain --untracked-files=no 2> /dev/null || true) ]]; then commit+="+dirty"; fi
started=$(date +%s)
say() { echo "sidebyside.sh [$(( $(date +%s) - started ))s]: $*" >&2; }

java_options=(--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
source "$ROOT/scripts/lib/env.sh"
if [[ -n ${D4J_CP:-} ]]; then
    JAVA=java
    CP=$D4J_CP
    d4j_signal_chaining   # the java on the PATH
else
    d4j_find_jdk
    d4j_require_maven
    say "building the benchmarks (log: benchmarks/target/bench-build.log)"
    mkdir -p benchmarks/target
    d4j_mvn -q -f "$ROOT/pom.xml" -DskipTests -pl benchmarks -am package dependency:build-classpath \
        -Dmdep.includeScope=runtime -Dmdep.outputFile=target/runtime-classpath.txt > benchmarks/target/bench-build.log 2>&1 \
        || { tail -n 40 benchmarks/target/bench-build.log >&2; exit 1; }
    JAVA=$D4J_JAVA_HOME/bin/java
    CP=$(compgen -G "$ROOT/benchmarks/target/benchmarks-*.jar" | head -n 1):$(cat benchmarks/target/runtime-classpath.txt)
    (( D4J_JAVA_MAJOR >= 24 )) && java_options+=(--sun-misc-unsafe-memory-access=allow)
    d4j_signal_chaining "$D4J_JAVA_HOME"
fi
jmh() { "$JAVA" "${java_options[@]}" -cp "$CP" org.openjdk.jmh.Main "$@"; }

# ---------------------------------------------------------------- 1. parity
say "parity: ExportAndRun on $DEVICE"
rm -rf "$OUT/parity" && mkdir -p "$OUT/parity"
"$JAVA" "${java_options[@]}" -cp "$CP" org.diffusion4j.benchmarks.sidebyside.ExportAndRun \
    --out "$OUT/parity" --device "$DEVICE" --batches 1,128 --ddim-steps 50 --ddim-batch 16 > "$OUT/export.log"
parity_json=()
if [[ ${SIDEBYSIDE_SKIP_TORCH:-0} != 1 ]]; then
    say "parity: parity.py"
    if python3 benchmarks/pytorch/parity.py "$OUT/parity" --json "$OUT/parity.json"; then
        parity_json=(--parity "$OUT/parity.json")
    else
        say "PARITY FAILED (see above)"
        [[ ${SIDEBYSIDE_IGNORE_PARITY:-0} == 1 ]] || exit 1
        parity_json=(--parity "$OUT/parity.json")
    fi
fi

# ---------------------------------------------------------------- 2. ours (JMH)
if [[ $QUICK == 1 ]]; then short=(-wi 1 -i 1 -w 1 -r 1); ddpm=ddpm-20; ddim_iters=(-wi 0 -i 1); else
    short=(-wi 2 -i 3 -w 1 -r 1); ddpm=ddpm-1000; ddim_iters=(-wi 1 -i 3); fi
say "ours: forward, train step, launch overhead"
jmh 'sidebyside\.(UNetSForward|UNetSTrainStep|LaunchOverhead)Benchmark' -p device="$DEVICE" -f 1 "${short[@]}" \
    -rf json -rff "$OUT/jmh-1.json" > "$OUT/jmh-1.log"
say "ours: DDIM 50"
jmh 'sidebyside\.SamplingBenchmark' -p device="$DEVICE" -p sampler=ddim-50 -f 1 "${ddim_iters[@]}" \
    -rf json -rff "$OUT/jmh-2.json" > "$OUT/jmh-2.log"
say "ours: DDPM ($ddpm)"
jmh 'sidebyside\.SamplingBenchmark' -p device="$DEVICE" -p sampler=$ddpm -f 1 -wi 0 -i 1 \
    -rf json -rff "$OUT/jmh-3.json" > "$OUT/jmh-3.log"
jmh_parts=("$OUT/jmh-1.json" "$OUT/jmh-2.json" "$OUT/jmh-3.json")
if [[ ${SIDEBYSIDE_TF32:-0} == 1 ]]; then
    say "ours: forward and train step under --precision tf32"
    jmh 'sidebyside\.(UNetSForward|UNetSTrainStep)Benchmark' -p device="$DEVICE" -p precision=tf32 -f 1 "${short[@]}" \
        -rf json -rff "$OUT/jmh-4.json" > "$OUT/jmh-4.log"
    jmh_parts+=("$OUT/jmh-4.json")
fi
python3 -c 'import json, sys; json.dump(sum((json.load(open(f)) for f in sys.argv[2:]), []), open(sys.argv[1], "w"), indent=1)' \
    "$OUT/jmh.json" "${jmh_parts[@]}"

# ---------------------------------------------------------------- 3. PyTorch
if [[ ${SIDEBYSIDE_SKIP_TORCH:-0} != 1 ]]; then
    say "PyTorch: four modes"
    quick=(); [[ $QUICK == 1 ]] && quick=(--quick)
    # SIDEBYSIDE_TORCH_MODES=eager_fp32,... runs only these PyTorch modes (default: all four)
    [[ -n ${SIDEBYSIDE_TORCH_MODES:-} ]] && quick+=(--modes "$SIDEBYSIDE_TORCH_MODES")
    PYTHONUNBUFFERED=1 python3 benchmarks/pytorch/sidebyside.py --json "$OUT/torch.json" "${quick[@]}"
else
    echo '{"device": "(PyTorch skipped)", "modes": {}}' > "$OUT/torch.json"
fi

# ---------------------------------------------------------------- 4. the table
gpu=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2> /dev/null | head -n 1 || true)
cpu=$(grep -m1 'model name' /proc/cpuinfo 2> /dev/null | sed 's/.*: //' || echo unknown)
machine="${gpu:+$gpu (driver ${gpu##*, }), }$cpu, $(nproc) threads"
python3 benchmarks/sidebyside_table.py --jmh "$OUT/jmh.json" --torch "$OUT/torch.json" \
    --manifest "$OUT/parity/manifest.json" "${parity_json[@]}" --machine "${machine//, [0-9.]* (driver/ (driver}" \
    --commit "$commit" --command "benchmarks/sidebyside.sh$([[ $QUICK == 1 ]] && echo ' (SIDEBYSIDE_QUICK=1)')" > "$OUT/table.md"
cat "$OUT/table.md"
if (( append )); then
    python3 - "$OUT/table.md" benchmarks/RESULTS.md <<'PY'
import sys
table, results = open(sys.argv[1]).read(), sys.argv[2]
text = open(results).read()
at = text.find("\n## ")
text = text + "\n" + table if at < 0 else text[:at + 1] + "## Side by side (benchmarks/sidebyside.sh)\n\n" + table + "\n" + text[at + 1:]
open(results, "w").write(text)
PY
    say "table added to benchmarks/RESULTS.md"
fi
say "done in $(( $(date +%s) - started )) s; files in $OUT"
