#!/usr/bin/env bash
# DDPM on Fashion-MNIST, diffusion4j vs PyTorch, equal wall-clock training budget: the GPU commands and the
# scoring commands behind docs/results/fashion-mnist.md.
#
#   benchmarks/fashion-mnist-result.sh STEP
#
# GPU machine (NVIDIA H100/H200, python3 with torch, a JRE, no build tools): from the repository root, after
# `source .gpu/setup.sh` (which exports D4J_CP, every jar of the project, and D4J_DATA, the folder holding
# fashion-mnist/*.gz), run these STEPs in this order, each as ONE command (each ends inside the 10-minute
# limit). Durations are estimates, not measurements: the side-by-side measurements on an H200
# (benchmarks/results/sidebyside-h200-20261122/table.md: a training step at batch 128 takes 200 ms ours, 44 ms
# PyTorch eager FP32; DDPM-1000 at batch 128 42.7 s and 12.8 s; DDIM-50 2.15 s and 0.59 s) scaled linearly to
# the image counts. The first real run replaces them in docs/results/fashion-mnist.md.
#
#   torch-train   PyTorch trains for MINUTES (default 6) of wall clock.                 ~MINUTES + 0.5 min
#   torch-sample  PyTorch samples N_DDIM with DDIM-50 and N_DDPM with DDPM-1000.         ~2.5 min (N_DDPM=1000)
#                 (rerun the step after a time-out: it continues from the partial file.)
#   java-train    diffusion4j trains for MINUTES on OpenCL (JVM start and kernel builds   ~MINUTES + 1 min
#                 come on top of the budget, as PyTorch's start does).
#   java-sample   diffusion4j samples DDIM-50 then DDPM-1000 in chunks of CHUNK images    ~2 + ~6 min
#                 (one seed per chunk; a chunk already on disk is skipped, so a rerun
#                 after a time-out continues). Joins chunks into float32 files in $OUT.
#
# Run folders live in WORK (default /tmp/fmnist-result) on the GPU machine. Each train -> sample pair must run on
# the same machine (checkpoints are too large to come back), so issue the sample step right after its train
# step; the small results (samples as float32 .npy, PNG grids, JSON, logs) are copied to $OUT (the device
# tool's return folder; default runs/fmnist-result when OUT is unset), at most 8 files per step, each under
# 16 MiB, names that do not collide between steps. With MINUTES=6 the four steps hold the machine ~24 minutes
# (plus its start), inside a 30-minute lease.
#
# Then on the CPU machine, with the files of every GPU step gathered under RESULT (default runs/fmnist-result):
#
#   score         ./d4j eval on the four sample sets, the train-test floor on 5,000-image subsets (and
#                 1,000, the size of the DDPM-1000 sets), and the recipe check; writes RESULT/*.eval.json and
#                 prints the metrics.                                                       ~3-6 min on 2 cores
#
# Dry run on a CPU machine (a few training steps, 16 samples of DDIM-5 and DDPM-20, the CPU backend): DRY=1
# with the same STEP names, e.g. `DRY=1 benchmarks/fashion-mnist-result.sh java-train`; the torch steps need
# torch (DRY=1 runs them on its CPU).
set -euo pipefail
cd "${REPO:-$(dirname "${BASH_SOURCE[0]}")/..}"

MINUTES=${MINUTES:-10}
N_DDIM=${N_DDIM:-5000}
N_DDPM=${N_DDPM:-5000}
CHUNK=${CHUNK:-1000}
WORK=${WORK:-/tmp/fmnist-result}
OUT=${OUT:-runs/fmnist-result}
RESULT=${RESULT:-runs/fmnist-result}
CONFIG=experiments/configs/ddpm-fashion-mnist-10min.yaml
DDIM_STEPS=50
DDPM_STEPS=1000
DEVICE=${DEVICE:-opencl}
# The Python that has torch (word-split on purpose, so it may be an interpreter followed by a wrapper script).
TORCH_PY=${TORCH_PY:-python3}
export PYTHONUNBUFFERED=1
TORCH_EXTRA=()
JAVA_EXTRA=()
if [[ ${DRY:-0} == 1 ]]; then   # a pipeline check on this CPU machine: tiny everything
    MINUTES=${DRY_MINUTES:-0.2}; N_DDIM=16; N_DDPM=16; CHUNK=8; DDIM_STEPS=5; DDPM_STEPS=20; DEVICE=${DRY_DEVICE:-cpu}
    TORCH_EXTRA=(--max-steps 3 --device cpu)
    JAVA_EXTRA=(--set training.batchSize=8 --set training.logEvery=1 --set sampling.count=4 --set sampling.steps=3)
fi
mkdir -p "$WORK" "$OUT"

# diffusion4j's CLI: the bundled jars on the GPU machine, else the ./d4j launcher (which builds when needed).
d4j() {
    if [[ -n ${D4J_CP:-} ]]; then
        (source scripts/lib/env.sh && d4j_signal_chaining && exec java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED ${D4J_JAVA_OPTS:-} \
            -cp "$D4J_CP" org.diffusion4j.experiments.cli.Main "$@")
    else
        ./d4j "$@"
    fi
}

# Java chunks of one sampler: seeds SEED0+1, SEED0+2, ... of CHUNK images each. A chunk already on disk is
# skipped and a chunk is claimed (mkdir, atomic) before it is drawn, so a rerun continues and two workers (one
# per GPU, step pair-start) share one queue without drawing a chunk twice.
java_chunks() {
    local sampler=$1 steps=$2 n=$3 seed0=$4 run=$WORK/java/ddpm-fashion-mnist-10min
    local chunks=$(( (n + CHUNK - 1) / CHUNK ))
    mkdir -p "$WORK/java/chunks"
    for ((k = 1; k <= chunks; k++)); do
        local count=$(( k < chunks ? CHUNK : n - (chunks - 1) * CHUNK ))
        local f=$WORK/java/chunks/$sampler$steps-seed$((seed0 + k))-n$count.npy
        [[ -f $f ]] && { echo "have $f"; continue; }
        mkdir "$f.claim" 2>/dev/null || { echo "chunk $k of $sampler$steps is being drawn by another worker"; continue; }
        local t0=$(date +%s%N) log=$WORK/java/$sampler$steps-chunk$k.log
        if ! d4j --device "$DEVICE" sample --run "$run" --sampler "$sampler" --steps "$steps" --n "$count" \
                --seed $((seed0 + k)) --npy "$f.tmp.npy" --out "$WORK/java/$sampler$steps-chunk$k.png" 2>&1 | tee "$log"; then
            rmdir "$f.claim"   # free the chunk for a rerun or the other worker
            return 1
        fi
        mv "$f.tmp.npy" "$f"
        # "... NFE 50, 12.34 s sampling (...)": the sampler's own time, without JVM start and checkpoint loading
        local seconds=$(sed -n 's/.*NFE [0-9]*, \([0-9.]*\) s sampling.*/\1/p' "$log")
        echo "{\"sampler\": \"$sampler\", \"steps\": $steps, \"n\": $count, \"seed\": $((seed0 + k)), \"seconds\": ${seconds:-null}, \"seconds_with_jvm_start\": $(( ($(date +%s%N) - t0) / 1000000 ))e-3, \"gpu\": \"${CUDA_VISIBLE_DEVICES:-}\"}" \
            >> "$WORK/java/samples-$sampler$steps.timing.jsonl"
        rmdir "$f.claim"
    done
}

# Joins the chunks of one sampler that are on disk (all of them after a complete run) into one float32 file.
java_join() {
    local sampler=$1 steps=$2 files
    files=$(ls "$WORK"/java/chunks/"$sampler$steps"-seed*-n*.npy 2>/dev/null | sort -V) || true
    [[ -z $files ]] && { echo "no $sampler$steps chunks in $WORK/java/chunks" >&2; return 1; }
    # shellcheck disable=SC2086
    python3 benchmarks/pytorch/collect_samples.py "$WORK/java/samples-$sampler$steps.npy" $files \
        | tee "$WORK/java/samples-$sampler$steps.json"
    cp "$WORK/java/samples-$sampler$steps.npy" "$WORK/java/samples-$sampler$steps.json" \
        "$WORK/java/samples-$sampler$steps.timing.jsonl" "$OUT/"
    cp "$WORK/java/$sampler$steps-chunk1.png" "$OUT/java-$sampler$steps.png"
}

# One GPU's queue for step pair-start: this script's steps, one after another, logged to WORK/gpuN.log.
pair_worker() {
    local gpu=$1; shift
    export CUDA_VISIBLE_DEVICES=$gpu OUT=$WORK/out
    for s in "$@"; do
        echo "== $(date -u +%FT%TZ) GPU $gpu: $s"
        bash "$WORK/bin/fashion-mnist-result.sh" "$s" || echo "== GPU $gpu: step $s FAILED (exit $?)"
    done
    echo "== $(date -u +%FT%TZ) GPU $gpu: done"
}

step=${1:?"usage: $0 torch-train | torch-sample | java-train | java-sample | pair-start | pair-wait [SECONDS] | collect | score   (DRY=1 for a tiny CPU run)"}
case $step in
torch-train)
    mkdir -p "$WORK/torch"
    $TORCH_PY benchmarks/pytorch/check_train_ddpm.py   # the samplers against closed forms, CPU, ~10 s
    $TORCH_PY benchmarks/pytorch/train_ddpm.py --out "$WORK/torch" --minutes "$MINUTES" --no-sample \
        "${TORCH_EXTRA[@]}" 2>&1 | tee "$WORK/torch/train.log"
    cp "$WORK/torch/recipe.json" "$OUT/"
    for f in train.json metrics.jsonl train.log; do cp "$WORK/torch/$f" "$OUT/torch-$f"; done
    ;;
torch-sample)
    $TORCH_PY benchmarks/pytorch/train_ddpm.py --out "$WORK/torch" --sample-only LAST --samplers "ddim:$DDIM_STEPS" \
        --n "$N_DDIM" "${TORCH_EXTRA[@]}"
    $TORCH_PY benchmarks/pytorch/train_ddpm.py --out "$WORK/torch" --sample-only LAST --samplers "ddpm:$DDPM_STEPS" \
        --n "$N_DDPM" "${TORCH_EXTRA[@]}"
    for s in "ddim$DDIM_STEPS" "ddpm$DDPM_STEPS"; do
        cp "$WORK/torch/samples-$s.npy" "$OUT/torch-samples-$s.npy"
        cp "$WORK/torch/samples-$s.json" "$OUT/torch-samples-$s.json"
        cp "$WORK/torch/samples-$s.png" "$OUT/torch-samples-$s.png"
    done
    ;;
java-train)
    mkdir -p "$WORK/java"
    d4j --device "$DEVICE" info 2>&1 | tee "$WORK/java/info.txt" || true
    d4j --device "$DEVICE" train --config "$CONFIG" --runs "$WORK/java" --minutes "$MINUTES" "${JAVA_EXTRA[@]}" \
        2>&1 | tee "$WORK/java/train.log"
    r=$WORK/java/ddpm-fashion-mnist-10min
    cp "$r/config.json" "$r/env.json" "$OUT/"
    cp "$r/metrics.jsonl" "$OUT/java-metrics.jsonl"
    cp "$WORK/java/train.log" "$OUT/java-train.log"
    cp "$WORK/java/info.txt" "$OUT/java-info.txt"
    ;;
java-sample)
    java_chunks ddim "$DDIM_STEPS" "$N_DDIM" 100
    java_chunks ddpm "$DDPM_STEPS" "$N_DDPM" 200
    java_join ddim "$DDIM_STEPS"
    java_join ddpm "$DDPM_STEPS"
    ;;
java-sample-ddim)   # (pair-start) DDIM only, no join
    java_chunks ddim "$DDIM_STEPS" "$N_DDIM" 100
    ;;
java-sample-ddpm)   # (pair-start) a worker on the shared DDPM chunk queue, no join
    java_chunks ddpm "$DDPM_STEPS" "$N_DDPM" 200
    ;;
pair-start)
    # Two GPUs of one host: each framework trains on a GPU of its own at the same time (same model of GPU, same
    # budget), then both GPUs share the sampling; GPU 1 joins GPU 0 on our DDPM chunks once PyTorch's sampling is
    # done. The workers start their own process sessions (setsid) so that they outlive this command; follow them
    # with `pair-wait`, then `collect`. The script runs from a copy in WORK, so the checkout may change meanwhile.
    mkdir -p "$WORK/bin" "$WORK/out"
    cp "${BASH_SOURCE[0]}" "$WORK/bin/fashion-mnist-result.sh"
    export REPO=$PWD MINUTES N_DDIM N_DDPM CHUNK WORK DEVICE TORCH_PY
    for gpu in 0 1; do
        if [[ $gpu == 0 ]]; then steps=(java-train java-sample-ddim java-sample-ddpm)
        else steps=(torch-train torch-sample java-sample-ddpm); fi
        setsid nohup bash -c "$(declare -f pair_worker); pair_worker $gpu ${steps[*]}" > "$WORK/gpu$gpu.log" 2>&1 < /dev/null &
    done
    echo "started: GPU 0 runs ours (train, DDIM, DDPM chunks), GPU 1 PyTorch (train, sample) then DDPM chunks"
    echo "logs: $WORK/gpu0.log $WORK/gpu1.log"
    ;;
pair-wait)
    # Waits up to SECONDS (default 540) for both workers, printing each minute where they are.
    limit=${2:-540}; t0=$SECONDS
    while (( SECONDS - t0 < limit )); do
        done_count=$(cat "$WORK"/gpu[01].log 2>/dev/null | grep -c ": done$" || true)
        (( done_count == 2 )) && break
        sleep $(( limit - (SECONDS - t0) < 60 ? limit - (SECONDS - t0) : 60 ))
        for g in 0 1; do echo "GPU $g @$((SECONDS - t0))s: $( (grep -a -v '^\s*$' "$WORK/gpu$g.log" | tail -n 1 | tr '\r' '\n' | tail -n 1 | cut -c1-200) || true)"; done
    done
    nvidia-smi --query-gpu=index,utilization.gpu,memory.used --format=csv,noheader 2>/dev/null || true
    for g in 0 1; do echo "--- GPU $g log (last 15 lines)"; tail -n 15 "$WORK/gpu$g.log" | tr '\r' '\n' | tail -n 15 | cut -c1-240; done
    ;;
collect)
    # Gathers what the steps produced into $OUT as at most 8 files: the four sample sets (float32 .npy, about
    # 15.7 MB each at N=5000) and one archive of everything small. Joins whatever Java chunks exist, so that an
    # interrupted run still returns what it drew (the archive's samples-*.json say how many).
    mkdir -p "$WORK/out"
    OUT_FINAL=$OUT; OUT=$WORK/out
    java_join ddim "$DDIM_STEPS" || true
    java_join ddpm "$DDPM_STEPS" || true
    for s in "ddim$DDIM_STEPS" "ddpm$DDPM_STEPS"; do   # PyTorch's partial file when its sampling did not finish
        [[ -f $WORK/out/torch-samples-$s.npy || ! -f $WORK/torch/samples-$s.partial.npy ]] || \
            cp "$WORK/torch/samples-$s.partial.npy" "$WORK/out/torch-samples-$s.npy"
    done
    cp "$WORK"/gpu[01].log "$WORK"/java/*.log "$WORK/out/" 2>/dev/null || true
    cp "$WORK"/java/ddpm-fashion-mnist-10min/samples/*.png "$WORK/out/" 2>/dev/null || true
    (cd "$WORK/out" && cp -f -- *.npy "$OUT_FINAL/" 2>/dev/null; tar czf "$OUT_FINAL/small-files.tar.gz" --exclude='*.npy' .)
    ls -la "$OUT_FINAL"
    ;;
score)
    # Everything the GPU steps returned is expected flat in RESULT (the file names do not collide): torch-*
    # (PyTorch's train.json, metrics.jsonl, train.log, samples), recipe.json (PyTorch's recipe); config.json,
    # env.json, java-* (our metrics.jsonl, train.log, info), samples-* (our samples).
    sets=(torch-samples-ddim$DDIM_STEPS torch-samples-ddpm$DDPM_STEPS samples-ddim$DDIM_STEPS samples-ddpm$DDPM_STEPS)
    if [[ ${DRY:-0} == 1 ]]; then   # the dry run shrinks our batch size; the torch sets may be missing
        echo "DRY=1: recipe check skipped (the dry run overrides the batch size); sets that are missing are skipped"
        present=()
        for f in "${sets[@]}"; do [[ -f $RESULT/$f.npy ]] && present+=("$f"); done
        sets=("${present[@]}")
    else
        python3 benchmarks/pytorch/collect_samples.py --check-recipe "$RESULT/config.json" "$RESULT/recipe.json"
    fi
    for f in "${sets[@]}"; do
        d4j eval --npy "$RESULT/$f.npy" --dataset fashion-mnist --seed 0 --json "$RESULT/$f.eval.json" \
            | tee "$RESULT/$f.eval.txt"
    done
    # What a perfect model scores. (1) Training images scored exactly as the samples are (same command, the whole
    # test split as reference, same N), one set per sample-set size. (2) eval-floors: N training vs N test images.
    sizes=$N_DDIM; [[ $N_DDPM != "$N_DDIM" ]] && sizes="$N_DDPM,$N_DDIM"
    for n in ${sizes//,/ }; do
        python3 benchmarks/pytorch/collect_samples.py --train-subset "$RESULT/train-images-$n.npy" "$n" 0
        d4j eval --npy "$RESULT/train-images-$n.npy" --dataset fashion-mnist --seed 0 --json "$RESULT/train-images-$n.eval.json" \
            | tee "$RESULT/train-images-$n.eval.txt"
    done
    d4j eval-floors --n "$sizes" --seed 0 --json "$RESULT/floors.json" | tee "$RESULT/floors.txt"
    ;;
*)
    echo "unknown step '$step': expected torch-train, torch-sample, java-train, java-sample, pair-start, pair-wait, collect or score" >&2
    exit 2
    ;;
esac
