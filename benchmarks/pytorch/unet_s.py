"""UNet-S, the reference 28x28 UNet of diffusion4j's DESIGN.md, written plainly in PyTorch.

It mirrors org.diffusion4j.diffusion's UNet-S layer for layer so that the two can be run on identical
weights (exported by diffusion4j as safetensors) and compared output for output and millisecond for
millisecond. 6,469,889 parameters for one input channel.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def sinusoidal_embedding(t, dim=64):
    """[sin(t f), cos(t f)] with f_i = exp(-ln(10000) i / (half - 1)), i = 0..half-1 (DESIGN.md)."""
    half = dim // 2
    # computed in float64 and rounded once to float32, as diffusion4j does, so both sides hold the same constants
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float64) / (half - 1))
    freqs = freqs.to(device=t.device, dtype=torch.float32)
    args = t.float()[:, None] * freqs[None, :]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, temb=256, dropout=0.1):
        super().__init__()
        self.norm1 = nn.GroupNorm(32, cin, eps=1e-5)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.temb = nn.Linear(temb, cout)
        self.norm2 = nn.GroupNorm(32, cout, eps=1e-5)
        self.dropout = nn.Dropout(dropout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, emb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.temb(F.silu(emb))[:, :, None, None]
        h = self.conv2(self.dropout(F.silu(self.norm2(h))))
        return (self.skip(x) if self.skip is not None else x) + h


class Attention(nn.Module):
    """One head over the H*W positions: softmax(q k^T / sqrt(c)) v, 1x1 projection, residual."""

    def __init__(self, c):
        super().__init__()
        self.norm = nn.GroupNorm(32, c, eps=1e-5)
        self.q = nn.Conv2d(c, c, 1)
        self.k = nn.Conv2d(c, c, 1)
        self.v = nn.Conv2d(c, c, 1)
        self.proj = nn.Conv2d(c, c, 1)

    def forward(self, x):
        b, c, h, w = x.shape
        n = self.norm(x)
        q = self.q(n).reshape(b, c, h * w).transpose(1, 2)
        k = self.k(n).reshape(b, c, h * w).transpose(1, 2)
        v = self.v(n).reshape(b, c, h * w).transpose(1, 2)
        a = F.scaled_dot_product_attention(q, k, v)  # scale 1/sqrt(c) by default
        return x + self.proj(a.transpose(1, 2).reshape(b, c, h, w))


class UNetS(nn.Module):
    def __init__(self, in_channels=1, ch=64, mult=(1, 2, 2), attn_levels=(1,), dropout=0.1, num_res=2):
        super().__init__()
        self.ch = ch
        self.temb1 = nn.Linear(ch, 4 * ch)
        self.temb2 = nn.Linear(4 * ch, 4 * ch)
        self.conv_in = nn.Conv2d(in_channels, ch, 3, padding=1)
        self.down = nn.ModuleList()
        skips = [ch]
        c = ch
        for level, m in enumerate(mult):
            blocks = nn.ModuleList()
            for _ in range(num_res):
                blocks.append(ResBlock(c, ch * m, 4 * ch, dropout))
                c = ch * m
                blocks.append(Attention(c) if level in attn_levels else nn.Identity())
                skips.append(c)
            stage = nn.Module()
            stage.blocks = blocks
            if level != len(mult) - 1:
                stage.downsample = nn.Conv2d(c, c, 3, stride=2, padding=1)
                skips.append(c)
            self.down.append(stage)
        self.mid1 = ResBlock(c, c, 4 * ch, dropout)
        self.mid_attn = Attention(c)
        self.mid2 = ResBlock(c, c, 4 * ch, dropout)
        self.up = nn.ModuleList()
        for level in reversed(range(len(mult))):
            blocks = nn.ModuleList()
            for _ in range(num_res + 1):
                blocks.append(ResBlock(c + skips.pop(), ch * mult[level], 4 * ch, dropout))
                c = ch * mult[level]
                blocks.append(Attention(c) if level in attn_levels else nn.Identity())
            stage = nn.Module()
            stage.blocks = blocks
            if level != 0:
                stage.upsample = nn.Conv2d(c, c, 3, padding=1)
            self.up.append(stage)
        self.norm_out = nn.GroupNorm(32, c, eps=1e-5)
        self.conv_out = nn.Conv2d(c, in_channels, 3, padding=1)

    def forward(self, x, t):
        emb = self.temb2(F.silu(self.temb1(sinusoidal_embedding(t, self.ch))))
        h = self.conv_in(x)
        hs = [h]
        for stage in self.down:
            for i in range(0, len(stage.blocks), 2):
                h = stage.blocks[i + 1](stage.blocks[i](h, emb))
                hs.append(h)
            if hasattr(stage, "downsample"):
                h = stage.downsample(h)
                hs.append(h)
        h = self.mid2(self.mid_attn(self.mid1(h, emb)), emb)
        for stage in self.up:
            for i in range(0, len(stage.blocks), 2):
                h = stage.blocks[i](torch.cat([h, hs.pop()], dim=1), emb)
                h = stage.blocks[i + 1](h)
            if hasattr(stage, "upsample"):
                h = stage.upsample(F.interpolate(h, scale_factor=2, mode="nearest"))
        return self.conv_out(F.silu(self.norm_out(h)))


if __name__ == "__main__":
    m = UNetS()
    print(sum(p.numel() for p in m.parameters()))
