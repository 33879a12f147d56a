"""Times the kernel shapes of diffusion4j's OpenCL benchmarks in PyTorch on the same GPU.

CUDA events around each op, warm-up first, median of several repeats. TF32 is off (strict FP32, our
default precision policy) unless --tf32 turns on allow_tf32 for cuBLAS and cuDNN (our tf32 policy's
counterpart). Prints one JSON object per shape (its "precision" says fp32 or tf32) and, with --json
FILE, writes them all.

    python3 benchmarks/pytorch/kernels.py [--json out.json] [--repeats 50] [--tf32]
"""
import argparse
import json
import math

import torch
import torch.nn.functional as F


def time_ms(fn, repeats, warmup=10):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeats):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end))
    times.sort()
    return times[len(times) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json")
    ap.add_argument("--repeats", type=int, default=50)
    ap.add_argument("--tf32", action="store_true", help="allow TF32 tensor cores in cuBLAS and cuDNN")
    args = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = args.tf32
    torch.backends.cudnn.allow_tf32 = args.tf32
    precision = "tf32" if args.tf32 else "fp32"
    dev = torch.device("cuda")
    g = torch.Generator(device=dev).manual_seed(0)
    rows = []

    def record(name, ms, flops):
        row = {"name": name, "precision": precision, "ms": ms, "gflops": flops / ms / 1e6 if flops else None,
               "device": torch.cuda.get_device_name(), "torch": torch.__version__}
        rows.append(row)
        print(json.dumps(row), flush=True)

    for n in (1024, 4096):
        a = torch.randn(n, n, device=dev, generator=g)
        b = torch.randn(n, n, device=dev, generator=g)
        record(f"gemm_{n}", time_ms(lambda: a @ b, args.repeats), 2.0 * n ** 3)

    N, C, H = 128, 128, 28
    x = torch.randn(N, C, H, H, device=dev, generator=g)
    w = torch.randn(C, C, 3, 3, device=dev, generator=g) / math.sqrt(C * 9)
    gy = torch.randn(N, C, H, H, device=dev, generator=g)
    conv_flops = 2.0 * N * C * C * 9 * H * H
    record("conv3x3_forward", time_ms(lambda: F.conv2d(x, w, padding=1), args.repeats), conv_flops)
    record("conv3x3_backward_input",
           time_ms(lambda: torch.nn.grad.conv2d_input(x.shape, w, gy, padding=1), args.repeats), conv_flops)
    record("conv3x3_backward_weight",
           time_ms(lambda: torch.nn.grad.conv2d_weight(x, w.shape, gy, padding=1), args.repeats), conv_flops)
    # the weight gradients of UNet-S's 28x28 level: 64 -> 64 channels, and the output convolution 64 -> 1
    x64 = torch.randn(N, 64, H, H, device=dev, generator=g)
    gy64 = torch.randn(N, 64, H, H, device=dev, generator=g)
    gy1 = torch.randn(N, 1, H, H, device=dev, generator=g)
    record("conv3x3_backward_weight_c64",
           time_ms(lambda: torch.nn.grad.conv2d_weight(x64, (64, 64, 3, 3), gy64, padding=1), args.repeats),
           2.0 * N * 64 * 64 * 9 * H * H)
    record("conv3x3_backward_weight_c64_to1",
           time_ms(lambda: torch.nn.grad.conv2d_weight(x64, (1, 64, 3, 3), gy1, padding=1), args.repeats),
           2.0 * N * 1 * 64 * 9 * H * H)

    B, L, D = 128, 196, 128
    q = torch.randn(B, L, D, device=dev, generator=g, requires_grad=True)
    k = torch.randn(B, L, D, device=dev, generator=g, requires_grad=True)
    v = torch.randn(B, L, D, device=dev, generator=g, requires_grad=True)
    att_flops = 4.0 * B * L * L * D
    record("attention_forward", time_ms(lambda: F.scaled_dot_product_attention(q, k, v), args.repeats), att_flops)
    out = F.scaled_dot_product_attention(q, k, v)
    go = torch.randn_like(out)

    def backward():
        torch.autograd.grad(out, (q, k, v), go, retain_graph=True)

    record("attention_backward", time_ms(backward, args.repeats), 2.5 * att_flops)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
