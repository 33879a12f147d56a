"""Parity of diffusion4j's UNet-S with PyTorch's (unet_s.UNetS) on identical weights and inputs.

Reads the folder that org.diffusion4j.benchmarks.sidebyside.ExportAndRun wrote (unet_s.safetensors, x_bN.npy,
t_bN.npy, out_bN.npy, ddim_xT.npy, ddim_x0.npy, manifest.json), loads the weights into UNetS through the name map
below, reruns every forward and the DDIM loop in PyTorch with TF32 off, and exits with status 1 and a message
starting "PARITY FAILED" unless

  forward, every batch:  max|ours - torch| / max|torch| < 1e-4
  DDIM final sample:     max|ours - torch| / max|torch| < 1e-3

The relative error is the largest absolute difference divided by the largest magnitude of the reference
(PyTorch's) tensor: one number per tensor, not an element-wise ratio (which explodes where values cross zero).

    python3 benchmarks/pytorch/parity.py DIR [--device cuda] [--json parity.json]
"""
import argparse
import json
import os
import re
import struct
import sys

import numpy as np

FORWARD_TOLERANCE = 1e-4
DDIM_TOLERANCE = 1e-3
UNET_S_PARAMETERS = 6_469_889

# diffusion4j's ResBlock names its time projection "time"; unet_s.ResBlock calls it "temb".
RESBLOCK_NAMES = {"norm1": "norm1", "conv1": "conv1", "time": "temb", "norm2": "norm2", "conv2": "conv2", "skip": "skip"}
TOP_LEVEL_NAMES = {"time_in": "temb1", "time_out": "temb2", "input": "conv_in", "out_norm": "norm_out",
                   "output": "conv_out", "middle.res1": "mid1", "middle.attn": "mid_attn", "middle.res2": "mid2"}


def torch_name(java_name):
    """Maps a diffusion4j parameter name to unet_s.UNetS's.

    diffusion4j: down.L.B.res.* / down.L.B.attn.* / down.L.downsample.*   (B = block within level L)
    PyTorch:     down.L.blocks.(2B).* / down.L.blocks.(2B+1).* / down.L.downsample.*
    (UNetS interleaves ResBlock and Attention-or-Identity in one ModuleList; Identity has no parameters.)
    The up path is the same with "up" (both list the deepest level first), and "upsample".
    """
    m = re.fullmatch(r"(down|up)\.(\d+)\.(\d+)\.(res|attn)\.(\w+)\.(weight|bias)", java_name)
    if m:
        path, level, block, kind, layer, leaf = m.groups()
        index = 2 * int(block) + (1 if kind == "attn" else 0)
        if kind == "res":
            if layer not in RESBLOCK_NAMES:
                raise KeyError(f"unknown ResBlock layer '{layer}' in '{java_name}'")
            layer = RESBLOCK_NAMES[layer]
        return f"{path}.{level}.blocks.{index}.{layer}.{leaf}"
    m = re.fullmatch(r"(down|up)\.(\d+)\.(downsample|upsample)\.(weight|bias)", java_name)
    if m:
        return java_name
    m = re.fullmatch(r"(middle\.res[12]|middle\.attn|time_in|time_out|input|out_norm|output)\.(.+)", java_name)
    if m:
        head, rest = m.groups()
        if head.startswith("middle.res"):
            layer, leaf = rest.split(".")
            return f"{TOP_LEVEL_NAMES[head]}.{RESBLOCK_NAMES[layer]}.{leaf}"
        return f"{TOP_LEVEL_NAMES[head]}.{rest}"
    raise KeyError(f"no PyTorch name for diffusion4j parameter '{java_name}'")


def read_safetensors(path):
    """The tensors of a safetensors file as float32/float64 numpy arrays (only what ExportAndRun writes)."""
    dtypes = {"F32": np.float32, "F64": np.float64}
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        out[name] = np.frombuffer(data[begin:end], dtype=dtypes[entry["dtype"]]).reshape(entry["shape"]).copy()
    return out


def relative_error(ours, reference):
    """max|ours - reference| / max|reference| over the whole tensor, in float64."""
    ours = np.asarray(ours, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    if ours.shape != reference.shape:
        raise ValueError(f"shapes differ: ours {ours.shape}, reference {reference.shape}")
    scale = np.max(np.abs(reference))
    if scale == 0:
        raise ValueError("the reference is all zeros: relative error undefined")
    return float(np.max(np.abs(ours - reference)) / scale)


def linear_alphas_cumprod(beta_1, beta_T, steps):
    """alpha-bar_i = prod_{s <= i} (1 - beta_s), betas linear from beta_1 to beta_T (Ho et al. 2020), float64."""
    betas = np.array([beta_1 + (beta_T - beta_1) * i / (steps - 1) for i in range(steps)], dtype=np.float64)
    return np.cumprod(1.0 - betas)


def ddim_plain(model, x_T, timesteps, alphas_cumprod, torch):
    """Deterministic DDIM (Song et al. 2021, eq. 12 with sigma = 0), written out step by step.

    eps = model(x_t, t); x0 = (x_t - sqrt(1 - ab_t) eps) / sqrt(ab_t); x_prev = sqrt(ab_prev) x0 + sqrt(1 - ab_prev) eps,
    with ab_prev = 1 after the last timestep. The network runs in float32; the update in float64.
    """
    x = x_T.to(torch.float64)
    for k, i in enumerate(timesteps):
        ab = float(alphas_cumprod[i])
        ab_prev = float(alphas_cumprod[timesteps[k + 1]]) if k + 1 < len(timesteps) else 1.0
        t = torch.full((x.shape[0],), float(i), device=x.device, dtype=torch.float32)
        eps = model(x.to(torch.float32), t).to(torch.float64)
        x0 = (x - (1 - ab) ** 0.5 * eps) / ab ** 0.5
        x = ab_prev ** 0.5 * x0 + (1 - ab_prev) ** 0.5 * eps
    return x


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", help="the folder ExportAndRun wrote")
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--json", help="also write the errors here")
    args = parser.parse_args()

    import torch
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from unet_s import UNetS

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")
    device = torch.device(args.device)

    with open(os.path.join(args.dir, "manifest.json")) as f:
        manifest = json.load(f)
    failures = []
    model = UNetS(in_channels=1).to(device).eval()
    torch_count = sum(p.numel() for p in model.parameters())
    if torch_count != UNET_S_PARAMETERS or manifest["parameters"] != UNET_S_PARAMETERS:
        failures.append(f"parameter counts: PyTorch {torch_count}, diffusion4j {manifest['parameters']}, "
                        f"expected {UNET_S_PARAMETERS}")

    java = read_safetensors(os.path.join(args.dir, "unet_s.safetensors"))
    mapped = {torch_name(k): v for k, v in java.items()}
    expected = model.state_dict()
    missing = sorted(set(expected) - set(mapped))
    unexpected = sorted(set(mapped) - set(expected))
    misshaped = sorted(k for k in set(expected) & set(mapped) if tuple(expected[k].shape) != mapped[k].shape)
    if missing or unexpected or misshaped:
        print(f"PARITY FAILED: the structures differ: missing {missing}, unexpected {unexpected}, mis-shaped {misshaped}")
        sys.exit(1)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in mapped.items()}, strict=True)

    report = {"device": torch.cuda.get_device_name(device) if device.type == "cuda" else str(device),
              "torch": torch.__version__, "ours": manifest["device"], "forward": [], "ddim": None}
    with torch.no_grad():
        for entry in manifest["forward"]:
            b = entry["batch"]
            x = torch.from_numpy(np.load(os.path.join(args.dir, f"x_b{b}.npy"))).to(device)
            t = torch.from_numpy(np.load(os.path.join(args.dir, f"t_b{b}.npy"))).to(device)
            ours = np.load(os.path.join(args.dir, f"out_b{b}.npy"))
            err = relative_error(ours, model(x, t).cpu().numpy())
            report["forward"].append({"batch": b, "relative_error": err})
            print(f"forward  batch {b:4d}: max|ours - torch| / max|torch| = {err:.3e}  (tolerance {FORWARD_TOLERANCE:.0e})")
            if not err < FORWARD_TOLERANCE:
                failures.append(f"forward at batch {b}: relative error {err:.3e} >= {FORWARD_TOLERANCE:.0e}")

        ddim = manifest["ddim"]
        schedule = manifest["schedule"]
        ab = linear_alphas_cumprod(schedule["beta_1"], schedule["beta_T"], schedule["T"])
        x_T = torch.from_numpy(np.load(os.path.join(args.dir, "ddim_xT.npy"))).to(device)
        reference = ddim_plain(model, x_T, ddim["timesteps"], ab, torch).cpu().numpy()
        err = relative_error(np.load(os.path.join(args.dir, "ddim_x0.npy")), reference)
        report["ddim"] = {"steps": ddim["steps"], "batch": ddim["batch"], "relative_error": err}
        print(f"DDIM {ddim['steps']} steps, batch {ddim['batch']}: max|ours - torch| / max|torch| = {err:.3e}  "
              f"(tolerance {DDIM_TOLERANCE:.0e})")
        if not err < DDIM_TOLERANCE:
            failures.append(f"DDIM final sample: relative error {err:.3e} >= {DDIM_TOLERANCE:.0e}")

    report["passed"] = not failures
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    if failures:
        print("PARITY FAILED: " + "; ".join(failures))
        sys.exit(1)
    print("parity OK")


if __name__ == "__main__":
    main()
