#!/usr/bin/env bash
# Inpainting and super-resolution on Fashion-MNIST, trained and scored in one GPU call: the commands behind
# docs/results/image-to-image.md (issue 15).
#
#   benchmarks/image-to-image.sh
#
# 1. trains the unconditional DDPM (experiments/configs/ddpm-fashion-mnist-10min.yaml) for MINUTES of wall clock;
# 2. trains SR3 7x7 -> 28x28 (experiments/configs/sr3-fashion-mnist-7to28.yaml) for MINUTES, with the short-run
#    changes the 10-minute DDPM recipe makes (warmupSteps 500, emaDecay 0.999 with emaWarmup: a run of a few
#    thousand steps would otherwise spend itself in warmup and leave the EMA at its random start);
# 3. scores, on the first N test images (default 1,000) with fixed seeds, each next to its baselines by the same
#    code (`--fd --json`: PSNR, SSIM, FD-FMNIST and KID against the whole test split):
#      - inpainting of the centre 14x14 box, replacement method, DDIM-100 (nearest-neighbour and mean-image fill);
#      - RePaint, DDIM-100 with jump 10 and resample 5 on the first N_REPAINT images (5x the evaluations);
#      - SR3 7x7 -> 28x28 with DDIM-50 (nearest and bicubic upsampling);
#      - ILVR 7x7 -> 28x28 with the unconditional run, DDIM-100 (training-free; the same baselines).
# Results (JSON, grids, logs) go to $OUT (the device tool's return folder; default runs/image-to-image), at most
# 8 files. GPU machine: after `source .gpu/setup.sh` (bundle made with --data). With MINUTES=2.5 the whole script
# takes about 8 minutes on an H200 (two trainings, four JVM starts, the scoring).
#
# Dry run on a CPU machine (a few steps, 8 images, tiny sampler steps): DRY=1 benchmarks/image-to-image.sh
set -euo pipefail
cd "${REPO:-$(dirname "${BASH_SOURCE[0]}")/..}"

MINUTES=${MINUTES:-2.5}
N=${N:-1000}
N_REPAINT=${N_REPAINT:-200}
WORK=${WORK:-/tmp/image-to-image}
OUT=${OUT:-runs/image-to-image}
DEVICE=${DEVICE:-opencl}
INPAINT_STEPS=100; SR_STEPS=50; BATCH=250; JUMP=10
SHORT_RUN=(--set optimizer.warmupSteps=500 --set training.emaDecay=0.999 --set training.emaWarmup=true
           --set training.steps=1000000 --set checkpoint.every=1000000 --set sampling.every=1000000)
EXTRA=()
if [[ ${DRY:-0} == 1 ]]; then
    MINUTES=${DRY_MINUTES:-0.05}; N=8; N_REPAINT=4; INPAINT_STEPS=3; SR_STEPS=2; BATCH=4; JUMP=1; DEVICE=${DRY_DEVICE:-cpu}
    EXTRA=(--set training.batchSize=4 --set model.channels=32 --set model.multipliers=[1] --set model.attentionLevels=[]
           --set model.resBlocks=1 --set training.logEvery=1 --set sampling.count=4 --set sampling.steps=2)
fi
rm -rf "$WORK/runs"   # a fresh pair of runs each time (the runs are the measurement)
mkdir -p "$WORK" "$OUT"
last=$((N - 1))

d4j() {
    if [[ -n ${D4J_CP:-} ]]; then
        (source scripts/lib/env.sh && d4j_signal_chaining && exec java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED ${D4J_JAVA_OPTS:-} \
            -cp "$D4J_CP" org.diffusion4j.experiments.cli.Main "$@")
    else
        ./d4j "$@"
    fi
}
say() { echo "== $(date -u +%FT%TZ) $*"; }

say "train the unconditional DDPM for $MINUTES min"
d4j --device "$DEVICE" train --config experiments/configs/ddpm-fashion-mnist-10min.yaml --runs "$WORK/runs" --minutes "$MINUTES" \
    "${SHORT_RUN[@]}" "${EXTRA[@]}" 2>&1 | tee "$WORK/train-ddpm.log" | grep -E "^step|stopp|budget|error" | tail -n 3
say "train SR3 7x7 -> 28x28 for $MINUTES min"
d4j --device "$DEVICE" train --config experiments/configs/sr3-fashion-mnist-7to28.yaml --runs "$WORK/runs" --minutes "$MINUTES" \
    "${SHORT_RUN[@]}" "${EXTRA[@]}" 2>&1 | tee "$WORK/train-sr3.log" | grep -E "^step|stopp|budget|error" | tail -n 3
uncond=$WORK/runs/ddpm-fashion-mnist-10min
sr3=$WORK/runs/sr3-fashion-mnist-7to28

say "inpaint (replacement, DDIM-$INPAINT_STEPS) test:0-$last"
d4j --device "$DEVICE" inpaint --run "$uncond" --images "test:0-$last" --mask center --sampler ddim --steps $INPAINT_STEPS \
    --batch $BATCH --seed 1 --out "$OUT/inpaint-replacement.png" --npy "$WORK/inpaint.npy" --fd --json "$OUT/inpaint-replacement.json"
say "inpaint (RePaint, jump 10, resample 5) test:0-$((N_REPAINT - 1))"
d4j --device "$DEVICE" inpaint --run "$uncond" --images "test:0-$((N_REPAINT - 1))" --mask center --sampler ddim --steps $INPAINT_STEPS \
    --jump $JUMP --resample 5 --batch $BATCH --seed 1 --npy "$WORK/repaint.npy" --fd --json "$OUT/inpaint-repaint.json"
say "SR3 7x7 -> 28x28 (DDIM-$SR_STEPS) test:0-$last"
d4j --device "$DEVICE" upscale --run "$sr3" --images "test:0-$last" --sampler ddim --steps $SR_STEPS --batch $BATCH --seed 1 \
    --out "$OUT/upscale-sr3.png" --npy "$WORK/sr3.npy" --fd --json "$OUT/upscale-sr3.json"
say "ILVR 7x7 -> 28x28 (DDIM-$INPAINT_STEPS) test:0-$last"
d4j --device "$DEVICE" upscale --run "$uncond" --ilvr 4 --images "test:0-$last" --sampler ddim --steps $INPAINT_STEPS --batch $BATCH \
    --seed 1 --npy "$WORK/ilvr.npy" --fd --json "$OUT/upscale-ilvr.json"
tail -n 40 "$WORK/train-ddpm.log" "$WORK/train-sr3.log" > "$OUT/train-logs.txt"
say "done; files in $OUT"
