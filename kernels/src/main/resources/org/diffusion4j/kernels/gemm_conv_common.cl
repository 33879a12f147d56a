// Geometry of a convolution, packed by the host into one int16 g (passed as pb; pc carries offsets):
//  s0 C (input channels)  s1 H  s2 W  s3 KH  s4 KW  s5 OH  s6 OW  s7 strideH  s8 strideW
//  s9 padH  sa padW  sb dilationH  sc dilationW  sd Cg (input channels per group)  se Og (outputs per group)
//  sf O (output channels)
// In every convolution kernel the GEMM "batch" index is the group.
//
// With -DCONV_STATIC the host also passes the spatial geometry as build options (CONV_H, CONV_W, CONV_KH,
// CONV_KW, CONV_OH, CONV_OW, CONV_SH, CONV_SW, CONV_PH, CONV_PW, CONV_DH, CONV_DW): the divisions and
// remainders of the on-the-fly im2col then become multiplications and shifts. The channel counts stay
// runtime values either way.
#define G_C(g) ((g).s0)
#define G_CG(g) ((g).sd)
#define G_OG(g) ((g).se)
#define G_O(g) ((g).sf)
#ifdef CONV_STATIC
#define G_H(g) CONV_H
#define G_W(g) CONV_W
#define G_KH(g) CONV_KH
#define G_KW(g) CONV_KW
#define G_OH(g) CONV_OH
#define G_OW(g) CONV_OW
#define G_SH(g) CONV_SH
#define G_SW(g) CONV_SW
#define G_PH(g) CONV_PH
#define G_PW(g) CONV_PW
#define G_DH(g) CONV_DH
#define G_DW(g) CONV_DW
#else
#define G_H(g) ((g).s1)
#define G_W(g) ((g).s2)
#define G_KH(g) ((g).s3)
#define G_KW(g) ((g).s4)
#define G_OH(g) ((g).s5)
#define G_OW(g) ((g).s6)
#define G_SH(g) ((g).s7)
#define G_SW(g) ((g).s8)
#define G_PH(g) ((g).s9)
#define G_PW(g) ((g).sa)
#define G_DH(g) ((g).sb)
#define G_DW(g) ((g).sc)
#endif

// x[n, grp*Cg + c, oh*sh - ph + kh*dh, ow*sw - pw + kw*dw], or 0 in the padding: the im2col element of row
// k = (c, kh, kw) and column col = (n, oh, ow), computed on the fly.
inline real conv_im2col(__global const real* x, int16 g, int xOff, int grp, int k, int col) {
    int khw = G_KH(g) * G_KW(g);
    int c = k / khw, r = k % khw;
    int kh = r / G_KW(g), kw = r % G_KW(g);
    int ohw = G_OH(g) * G_OW(g);
    int n = col / ohw, p = col % ohw;
    int oh = p / G_OW(g), ow = p % G_OW(g);
    int ih = oh * G_SH(g) - G_PH(g) + kh * G_DH(g);
    int iw = ow * G_SW(g) - G_PW(g) + kw * G_DW(g);
    if (ih < 0 || ih >= G_H(g) || iw < 0 || iw >= G_W(g)) return (real) 0;
    return x[xOff + ((n * G_C(g) + grp * G_CG(g) + c) * G_H(g) + ih) * G_W(g) + iw];
}
