package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClKernel;
import org.diffusion4j.kernels.runtime.ClRuntime;
import org.diffusion4j.kernels.runtime.GemmConfig;
import org.diffusion4j.kernels.runtime.MmaConfig;
import org.diffusion4j.tensor.BinaryOp;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.ReduceOp;
import org.diffusion4j.tensor.UnaryOp;

/**
 * Assembles the OpenCL programs from the .cl resources and hands out their (cached) kernels. Op codes
 * are generated from the Java enums, so kernels and host can never disagree about them.
 */
final class Programs {
    private final ClRuntime rt;
    private final int reduceWorkGroup;
    private final String opCodes;

    Programs(ClRuntime rt) {
        this.rt = rt;
        this.reduceWorkGroup = (int) Math.min(256, Long.highestOneBit(rt.info().maxWorkGroupSize()));
        this.opCodes = opCodeHeader();
    }

    int reduceWorkGroup() { return reduceWorkGroup; }

    private static String opCodeHeader() {
        StringBuilder sb = new StringBuilder("// generated from the Java enums\n");
        for (UnaryOp op : UnaryOp.values()) sb.append("#define U_").append(op.name()).append(' ').append(op.ordinal()).append('\n');
        for (BinaryOp op : BinaryOp.values()) sb.append("#define B_").append(op.name()).append(' ').append(op.ordinal()).append('\n');
        for (ReduceOp op : ReduceOp.values()) sb.append("#define R_").append(op.name()).append(' ').append(op.ordinal()).append('\n');
        for (RandomKind k : RandomKind.values()) sb.append("#define RK_").append(k.name()).append(' ').append(k.ordinal()).append('\n');
        return sb.toString();
    }

    private String withCommon(String... files) {
        StringBuilder sb = new StringBuilder(opCodes).append(rt.source("strided_offset.cl")).append('\n')
                .append(rt.source("common.cl")).append('\n');
        for (String f : files) sb.append(rt.source(f)).append('\n');
        return sb.toString();
    }

    ClKernel elementwise(DType dtype, String kernel) {
        return rt.kernel("elementwise", () -> withCommon("elementwise.cl"), ClRuntime.dtypeOptions(dtype), kernel, dtype);
    }

    ClKernel convert(DType from, DType to) {
        String options = (from == DType.F64 ? "-DSRC_F64=1" : "-DSRC_F32=1") + " " + (to == DType.F64 ? "-DDST_F64=1" : "-DDST_F32=1");
        return rt.kernel("convert", () -> rt.source("strided_offset.cl") + "\n" + rt.source("convert.cl"), options, "convert_strided", to);
    }

    ClKernel reduce(DType dtype, String kernel) {
        return rt.kernel("reduce", () -> withCommon("reduce.cl"), ClRuntime.dtypeOptions(dtype) + " -DRED_WG=" + reduceWorkGroup, kernel, dtype);
    }

    ClKernel groupNorm(DType dtype, String kernel) {
        return rt.kernel("groupnorm", () -> withCommon("groupnorm.cl"), ClRuntime.dtypeOptions(dtype) + " -DRED_WG=" + reduceWorkGroup, kernel, dtype);
    }

    ClKernel misc(DType dtype, String kernel) {
        return rt.kernel("misc", () -> withCommon("misc.cl"), ClRuntime.dtypeOptions(dtype), kernel, dtype);
    }

    ClKernel random(DType dtype) { return random(dtype, rt.info().fp64()); }

    /** The Philox fill with Box-Muller in double (useFp64) or in float, the path of devices without cl_khr_fp64. */
    ClKernel random(DType dtype, boolean useFp64) {
        String options = ClRuntime.dtypeOptions(dtype) + (useFp64 ? " -DHAS_FP64=1" : "");
        return rt.kernel("random", () -> opCodes + rt.source("random.cl"), options, "philox_fill", dtype);
    }

    /** The three transforms of the Winograd F(2x2, 3x3) convolution (conv_winograd.cl). */
    ClKernel winograd(DType dtype, String kernel) {
        return rt.kernel("conv_winograd", () -> withCommon("conv_winograd.cl"), ClRuntime.dtypeOptions(dtype), kernel, dtype);
    }

    /** The weight-gradient kernels of conv_weight_gradient.cl (Winograd transforms, the few-outputs reduction). */
    ClKernel convWeightGradient(DType dtype, String kernel, String options) {
        return rt.kernel("conv_weight_gradient", () -> withCommon("conv_weight_gradient.cl"),
                ClRuntime.dtypeOptions(dtype) + (options.isEmpty() ? "" : " " + options), kernel, dtype);
    }

    /** The GEMM core instantiated with the matmul loaders. */
    ClKernel matmul(DType dtype, GemmConfig config) {
        return rt.kernel("gemm_matmul", () -> gemmSource("gemm_matmul.cl"), ClRuntime.dtypeOptions(dtype) + " " + config.options(),
                "gemm_matmul", dtype);
    }

    /** The GEMM core with the matmul loaders and the bias/residual/SiLU epilogue; kernel gemm_matmul_add or splitk_sum_add. */
    ClKernel matmulAdd(DType dtype, GemmConfig config, String kernel) {
        return rt.kernel("gemm_matmul_add", () -> gemmSource("gemm_matmul_add.cl"), ClRuntime.dtypeOptions(dtype) + " " + config.options(),
                kernel, dtype);
    }

    /** gemm_matmul_add.cl built with -DCONCAT_B: kernel gemm_matmul_concat, B read from two operands along K. */
    ClKernel matmulConcat(DType dtype, GemmConfig config) {
        return rt.kernel("gemm_matmul_concat", () -> gemmSource("gemm_matmul_add.cl"),
                ClRuntime.dtypeOptions(dtype) + " " + config.options() + " -DCONCAT_B=1", "gemm_matmul_concat", dtype);
    }

    /**
     * The GEMM core instantiated with a convolution's loaders (kernel conv2d_forward, conv2d_backward_input
     * or conv2d_backward_weight); geometryOptions is "" for the general kernel or the -DCONV_STATIC set
     * that compiles one geometry's divisions into constants.
     */
    ClKernel conv(DType dtype, GemmConfig config, String kernel, String geometryOptions) {
        String file = switch (kernel) {
            case "conv2d_forward" -> "gemm_conv_forward.cl";
            case "conv2d_backward_input" -> "gemm_conv_backward_input.cl";
            case "conv2d_backward_weight" -> "gemm_conv_backward_weight.cl";
            default -> throw new IllegalArgumentException("no convolution kernel named " + kernel);
        };
        String options = ClRuntime.dtypeOptions(dtype) + " " + config.options() + (geometryOptions.isEmpty() ? "" : " " + geometryOptions);
        return rt.kernel("gemm_" + kernel, () -> gemmSource("gemm_conv_common.cl", file), options, kernel, dtype);
    }

    /**
     * The tensor-core core (gemm_mma.cl, F32 only, NVIDIA only) instantiated with a loader file: "gemm_matmul.cl"
     * or a convolution's ("gemm_conv_forward.cl", "gemm_conv_backward_input.cl"). threeTf32 selects 3xTF32.
     * Built only when a tensor-core policy asks for it, so no other driver compiles the inline PTX.
     */
    ClKernel mma(MmaConfig config, boolean threeTf32, String kernel, String geometryOptions) {
        String loader = switch (kernel) {
            case "gemm_matmul" -> "gemm_matmul.cl";
            case "conv2d_forward" -> "gemm_conv_forward.cl";
            case "conv2d_backward_input" -> "gemm_conv_backward_input.cl";
            default -> throw new IllegalArgumentException("no tensor-core kernel named " + kernel);
        };
        String[] loaders = kernel.equals("gemm_matmul") ? new String[]{loader} : new String[]{"gemm_conv_common.cl", loader};
        String options = ClRuntime.dtypeOptions(DType.F32) + " " + config.options() + (threeTf32 ? " -DMMA_3X=1" : "")
                + (geometryOptions.isEmpty() ? "" : " " + geometryOptions);
        return rt.kernel("mma_" + kernel, () -> withCommon(loaders) + rt.source("gemm_mma.cl"), options, kernel, DType.F32);
    }

    private String gemmSource(String... loaders) {
        return withCommon(loaders) + rt.source("gemm_core.cl");
    }

    /** Attention kernels for head widths d (q, k) and e (v), tiles of tq query and tkv key rows, wg items per group. */
    ClKernel attention(DType dtype, int d, int e, int tq, int tkv, int wg, String kernel) {
        String options = ClRuntime.dtypeOptions(dtype) + " -DD_HEAD=" + d + " -DE_HEAD=" + e + " -DTQ=" + tq + " -DTKV=" + tkv + " -DWG=" + wg;
        return rt.kernel("attention", () -> withCommon("online_softmax.cl", "attention.cl"), options, kernel, dtype);
    }

    /** The register-blocked attention backward (attention_backward.cl) for one head geometry; tileOptions gives TQ, TKV and the variant. */
    ClKernel attentionBackwardBlocked(DType dtype, int d, int e, String tileOptions, String kernel) {
        String options = ClRuntime.dtypeOptions(dtype) + " -DD_HEAD=" + d + " -DE_HEAD=" + e + tileOptions;
        return rt.kernel("attention_backward", () -> withCommon("attention_backward.cl"), options, kernel, dtype);
    }

    /** The register-blocked attention forward (attention_forward.cl) for one head geometry and tile size. */
    ClKernel attentionForwardBlocked(DType dtype, int d, int e, int tq, int tkv) {
        String options = ClRuntime.dtypeOptions(dtype) + " -DD_HEAD=" + d + " -DE_HEAD=" + e + " -DTQ=" + tq + " -DTKV=" + tkv;
        return rt.kernel("attention_forward", () -> withCommon("online_softmax.cl", "attention_forward.cl"), options, "attention_forward_blocked", dtype);
    }
}
