// Geometry of a convolution, packed by the host into one int16 (passed as pb; pc carries offsets):
//  s0 C (input channels)  s1 H  s2 W  s3 KH  s4 KW  s5 OH  s6 OW  s7 strideH  s8 strideW
//  s9 padH  sa padW  sb dilationH  sc dilationW  sd Cg (input channels per group)  se Og (outputs per group)
//  sf O (output channels)
// In every convolution kernel the GEMM "batch" index is the group.

// x[n, grp*Cg + c, oh*sh - ph + kh*dh, ow*sw - pw + kw*dw], or 0 in the padding: the im2col element of row
// k = (c, kh, kw) and column col = (n, oh, ow), computed on the fly.
inline real conv_im2col(__global const real* x, int16 g, int xOff, int grp, int k, int col) {
    int khw = g.s3 * g.s4;
    int c = k / khw, r = k % khw;
    int kh = r / g.s4, kw = r % g.s4;
    int ohw = g.s5 * g.s6;
    int n = col / ohw, p = col % ohw;
    int oh = p / g.s6, ow = p % g.s6;
    int ih = oh * g.s7 - g.s9 + kh * g.sb;
    int iw = ow * g.s8 - g.sa + kw * g.sc;
    if (ih < 0 || ih >= g.s1 || iw < 0 || iw >= g.s2) return (real) 0;
    return x[xOff + ((n * g.s0 + grp * g.sd + c) * g.s1 + ih) * g.s2 + iw];
}
