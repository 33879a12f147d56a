#!/usr/bin/env bash
# h13b's H200 run: parity of the new weight-gradient and attention-backward kernels, BackwardTimings, JMH, PyTorch.
cd "$(dirname "$0")"
source .gpu/setup.sh
export LD_PRELOAD=$JAVA_HOME/lib/libjsig.so
A=.gpu/app
J="--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
TCP="$A/kernels/target/test-classes:$A/autograd/target/test-classes:$D4J_CP"
date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
echo "== timings"; timeout 110 java $J -cp "$TCP" org.diffusion4j.kernels.BackwardTimings -1 20 2>&1 | grep -v WARNING | tee $OUT/timings.log
echo "== parity"; timeout 150 java $J -jar $A/tools-extra/junit-console.jar execute -cp "$TCP" \
  --select-class org.diffusion4j.kernels.ConvWeightGradientTest --select-class org.diffusion4j.kernels.AttentionBackwardTest \
  --select-class org.diffusion4j.kernels.ConvParityTest --select-class org.diffusion4j.kernels.AttentionNormParityTest \
  --select-class org.diffusion4j.kernels.DeterminismTest --select-class org.diffusion4j.autograd.OpenClGradCheckTest \
  --details=tree --disable-banner 2>&1 | grep -v WARNING > $OUT/parity.log; echo "parity rc=$?"; tail -25 $OUT/parity.log
echo "== jmh"; timeout 150 java $J -cp "$D4J_CP" org.openjdk.jmh.Main OpenClKernelBenchmarks -f 1 -wi 2 -i 3 -w 1 -r 1 -jvmArgs "$J" \
  -rf json -rff $OUT/jmh.json 2>&1 | grep -v WARNING > $OUT/jmh.log; grep -A30 "^Benchmark" $OUT/jmh.log
echo "== torch"; timeout 60 python3 $A/benchmarks/pytorch/kernels.py --repeats 30 --json $OUT/torch.json 2>&1 | tee $OUT/torch.log
date -u
