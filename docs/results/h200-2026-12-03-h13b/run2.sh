#!/usr/bin/env bash
# h13b's second H200 run: tile sweep with the V-staging and unrolled variants, kernel profile, parity of the two new kernels, JMH rows, PyTorch.
cd "$(dirname "$0")"
source .gpu/setup.sh
export LD_PRELOAD=$JAVA_HOME/lib/libjsig.so
A=.gpu/app
J="--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
TCP="$A/kernels/target/test-classes:$A/autograd/target/test-classes:$D4J_CP"
date -u
echo "== timings"; timeout 45 java $J -cp "$TCP" org.diffusion4j.kernels.BackwardTimings -1 10 2>&1 | grep -v WARNING | tee $OUT/timings2.log
echo "== parity"; timeout 35 java $J -jar $A/tools-extra/junit-console.jar execute -cp "$TCP" \
  --select-class org.diffusion4j.kernels.ConvWeightGradientTest --select-class org.diffusion4j.kernels.AttentionBackwardTest \
  --details=tree --disable-banner 2>&1 | grep -v WARNING > $OUT/parity2.log; tail -14 $OUT/parity2.log; grep -B2 -A6 "✘" $OUT/parity2.log | head -30
echo "== jmh"; timeout 45 java $J -cp "$D4J_CP" org.openjdk.jmh.Main 'OpenClKernelBenchmarks.(attention_backward|conv3x3_backward_weight.*)' -f 1 -wi 2 -i 3 -w 1 -r 1 -jvmArgs "$J" \
  -rf json -rff $OUT/jmh2.json 2>&1 | grep -v WARNING > $OUT/jmh2.log; grep -A8 "^Benchmark" $OUT/jmh2.log
echo "== torch"; timeout 30 python3 $A/benchmarks/pytorch/kernels.py --repeats 30 --json $OUT/torch2.json 2>&1 | grep -v Warn | tee $OUT/torch2.log
date -u
