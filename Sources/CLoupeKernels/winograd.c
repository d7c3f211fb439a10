#include "LoupeKernels.h"

#include <immintrin.h>
#include <string.h>

// Winograd F(2x2, 3x3) (Lavin & Gray 2016): each 2x2 tile of output is computed from a 4x4 patch
// of input with 16 multiplications per input channel instead of 36. A band of rows becomes 16
// matrices V[xi] (in_channels x tiles); 16 GEMMs with the transformed weights U[xi]
// (out_channels x in_channels) give M[xi], and each tile's output is A^T M A. Tiles run along a
// row in vectors of 8, so no vector ever straddles two rows of tiles.

#define AVX2 __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline))
// Floats of V and M per band: about half of a core's L2 here.
#define BAND_BUDGET (3 << 15)

static long round8(long n) { return (n + 7) & ~7L; }
static long round16(long n) { return (n + 15) & ~15L; }

typedef struct {
    int band;          // output rows per band, even
    long tile_stride;  // tiles per row of tiles, a multiple of 8
    long tiles;        // tiles per band in V and M, a multiple of 16
    long half_stride;  // floats per row of the even/odd input planes
} Layout;

static Layout layout(int in_channels, int out_channels, int width, int height) {
    Layout l;
    long across = (width + 1) / 2;
    l.tile_stride = round8(across);
    long rows = BAND_BUDGET / (16L * (in_channels + out_channels) * l.tile_stride) * 2;
    if (rows < 2) rows = 2;
    if (rows > height + (height & 1)) rows = height + (height & 1);
    l.band = (int)rows;
    l.tiles = round16(rows / 2 * l.tile_stride);
    l.half_stride = l.tile_stride + 8;
    return l;
}

long loupe_winograd_work_floats(int in_channels, int out_channels, int width, int height) {
    Layout l = layout(in_channels, out_channels, width, height);
    long planes = 2L * in_channels * (l.band + 2) * l.half_stride;
    long transformed = 16L * (in_channels + out_channels) * l.tiles;
    long weights = 16L * in_channels * (out_channels + 3);
    return planes + transformed + weights + 16;
}

/// U[xi][block][c][j] = (G g G^T)[xi] of output channel 4 * block + j (a single channel for the
/// last, partial block), G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1].
static void transform_weights(const float *weights, int in_channels, int out_channels, float *u) {
    long per_xi = (long)in_channels * out_channels;
    for (int o = 0; o < out_channels; o++) {
        int block = o / 4, blocks = out_channels - 4 * block < 4 ? 1 : 4, j = o - 4 * block;
        for (int c = 0; c < in_channels; c++) {
            const float *g = weights + ((long)o * in_channels + c) * 9;
            float t[4][3];
            for (int k = 0; k < 3; k++) {
                t[0][k] = g[k];
                t[1][k] = 0.5f * (g[k] + g[3 + k] + g[6 + k]);
                t[2][k] = 0.5f * (g[k] - g[3 + k] + g[6 + k]);
                t[3][k] = g[6 + k];
            }
            for (int r = 0; r < 4; r++) {
                float v[4] = {t[r][0], 0.5f * (t[r][0] + t[r][1] + t[r][2]), 0.5f * (t[r][0] - t[r][1] + t[r][2]), t[r][2]};
                long at = blocks == 4 ? (long)4 * block * in_channels + c * 4 + j : (long)o * in_channels + c;
                for (int s = 0; s < 4; s++) u[(r * 4 + s) * per_xi + at] = v[s];
            }
        }
    }
}

/// Even and odd columns of rows [first - 1, first + band + 1) of the zero-bordered input:
/// even[c][r][i] = in[c][first - 1 + r][2i - 1], odd[c][r][i] = in[c][first - 1 + r][2i].
AVX2 static void split_columns(
    const float *input, const float *gate, int channels, int height, int width, int first, int band, Layout l,
    float *even, float *odd
) {
    long plane = (band + 2) * l.half_stride;
    for (int c = 0; c < channels; c++) {
        for (int r = 0; r < band + 2; r++) {
            float *e = even + c * plane + r * l.half_stride, *o = odd + c * plane + r * l.half_stride;
            memset(e, 0, sizeof(float) * l.half_stride);
            memset(o, 0, sizeof(float) * l.half_stride);
            int y = first - 1 + r;
            if (y < 0 || y >= height) continue;
            long offset = ((long)c * height + y) * width;
            for (int x = 0; x < width; x++) {
                float value = input[offset + x];
                if (gate) value = gate[offset + x] > 0 ? value : 0;
                if (x & 1) e[(x + 1) / 2] = value; else o[x / 2] = value;
            }
        }
    }
}

/// V[xi][c][tile] = (B^T d B)[xi] for 8 tiles at a time, B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1].
AVX2 static void transform_input(const float *even, const float *odd, int channels, int band, Layout l, float *v) {
    long plane = (band + 2) * l.half_stride;
    for (int c = 0; c < channels; c++) {
        for (int ty = 0; ty < band / 2; ty++) {
            for (long tx = 0; tx < l.tile_stride; tx += 8) {
                __m256 d[4][4];
                for (int r = 0; r < 4; r++) {
                    const float *e = even + c * plane + (2 * ty + r) * l.half_stride + tx;
                    const float *o = odd + c * plane + (2 * ty + r) * l.half_stride + tx;
                    d[r][0] = _mm256_loadu_ps(e);
                    d[r][1] = _mm256_loadu_ps(o);
                    d[r][2] = _mm256_loadu_ps(e + 1);
                    d[r][3] = _mm256_loadu_ps(o + 1);
                }
                __m256 t[4][4];
                for (int k = 0; k < 4; k++) {
                    t[0][k] = _mm256_sub_ps(d[0][k], d[2][k]);
                    t[1][k] = _mm256_add_ps(d[1][k], d[2][k]);
                    t[2][k] = _mm256_sub_ps(d[2][k], d[1][k]);
                    t[3][k] = _mm256_sub_ps(d[1][k], d[3][k]);
                }
                long at = (long)c * l.tiles + ty * l.tile_stride + tx, per_xi = (long)channels * l.tiles;
                for (int r = 0; r < 4; r++) {
                    _mm256_storeu_ps(v + (r * 4 + 0) * per_xi + at, _mm256_sub_ps(t[r][0], t[r][2]));
                    _mm256_storeu_ps(v + (r * 4 + 1) * per_xi + at, _mm256_add_ps(t[r][1], t[r][2]));
                    _mm256_storeu_ps(v + (r * 4 + 2) * per_xi + at, _mm256_sub_ps(t[r][2], t[r][1]));
                    _mm256_storeu_ps(v + (r * 4 + 3) * per_xi + at, _mm256_sub_ps(t[r][1], t[r][3]));
                }
            }
        }
    }
}

/// m[j][t..t+16] = sum over c of u[c][j] * v[c][t..t+16], for `blocks` output channels.
INLINE AVX2 void multiply_chunk(const float *u, const float *v, int channels, long tiles, int blocks, long t, float *m) {
    __m256 acc[4][2];
    for (int j = 0; j < blocks; j++) acc[j][0] = acc[j][1] = _mm256_setzero_ps();
    for (int c = 0; c < channels; c++) {
        __m256 x0 = _mm256_loadu_ps(v + c * tiles + t), x1 = _mm256_loadu_ps(v + c * tiles + t + 8);
        for (int j = 0; j < blocks; j++) {
            __m256 w = _mm256_broadcast_ss(u + c * blocks + j);
            acc[j][0] = _mm256_fmadd_ps(w, x0, acc[j][0]);
            acc[j][1] = _mm256_fmadd_ps(w, x1, acc[j][1]);
        }
    }
    for (int j = 0; j < blocks; j++) {
        _mm256_storeu_ps(m + j * tiles + t, acc[j][0]);
        _mm256_storeu_ps(m + j * tiles + t + 8, acc[j][1]);
    }
}

AVX2 static void multiply(const float *u, const float *v, int in_channels, int out_channels, long tiles, float *m) {
    for (int xi = 0; xi < 16; xi++) {
        const float *uxi = u + (long)xi * in_channels * out_channels, *vxi = v + (long)xi * in_channels * tiles;
        float *mxi = m + (long)xi * out_channels * tiles;
        int o = 0;
        for (; o + 4 <= out_channels; o += 4)
            for (long t = 0; t < tiles; t += 16)
                multiply_chunk(uxi + (long)o * in_channels, vxi, in_channels, tiles, 4, t, mxi + o * tiles);
        for (; o < out_channels; o++)
            for (long t = 0; t < tiles; t += 16)
                multiply_chunk(uxi + (long)o * in_channels, vxi, in_channels, tiles, 1, t, mxi + o * tiles);
    }
}

/// Output rows [first, first + band) ∩ [.., row_end) from M: Y = A^T M A, A^T = [1 1 1 0; 0 1 -1 -1].
AVX2 static void transform_output(
    const float *m, int out_channels, Layout l, const float *bias, int relu, int first, int band, int row_end,
    int height, int width, float *output
) {
    long per_xi = (long)out_channels * l.tiles;
    __m256 zero = _mm256_setzero_ps();
    for (int o = 0; o < out_channels; o++) {
        __m256 b = _mm256_set1_ps(bias ? bias[o] : 0);
        for (int ty = 0; ty < band / 2; ty++) {
            int y = first + 2 * ty;
            for (long tx = 0; tx < l.tile_stride; tx += 8) {
                long at = (long)o * l.tiles + ty * l.tile_stride + tx;
                __m256 s[4][2];
                for (int r = 0; r < 4; r++) {
                    __m256 m0 = _mm256_loadu_ps(m + (r * 4 + 0) * per_xi + at);
                    __m256 m1 = _mm256_loadu_ps(m + (r * 4 + 1) * per_xi + at);
                    __m256 m2 = _mm256_loadu_ps(m + (r * 4 + 2) * per_xi + at);
                    __m256 m3 = _mm256_loadu_ps(m + (r * 4 + 3) * per_xi + at);
                    s[r][0] = _mm256_add_ps(_mm256_add_ps(m0, m1), m2);
                    s[r][1] = _mm256_sub_ps(_mm256_sub_ps(m1, m2), m3);
                }
                for (int row = 0; row < 2 && y + row < row_end; row++) {
                    __m256 left, right;
                    if (row == 0) {
                        left = _mm256_add_ps(_mm256_add_ps(s[0][0], s[1][0]), s[2][0]);
                        right = _mm256_add_ps(_mm256_add_ps(s[0][1], s[1][1]), s[2][1]);
                    } else {
                        left = _mm256_sub_ps(_mm256_sub_ps(s[1][0], s[2][0]), s[3][0]);
                        right = _mm256_sub_ps(_mm256_sub_ps(s[1][1], s[2][1]), s[3][1]);
                    }
                    left = _mm256_add_ps(left, b);
                    right = _mm256_add_ps(right, b);
                    if (relu) {
                        left = _mm256_max_ps(left, zero);
                        right = _mm256_max_ps(right, zero);
                    }
                    // Interleave: pixel 2i is left[i], pixel 2i + 1 is right[i].
                    __m256 low = _mm256_unpacklo_ps(left, right), high = _mm256_unpackhi_ps(left, right);
                    __m256 first8 = _mm256_permute2f128_ps(low, high, 0x20);
                    __m256 second8 = _mm256_permute2f128_ps(low, high, 0x31);
                    float *target = output + ((long)o * height + y + row) * width + 2 * tx;
                    long left_in_row = width - 2 * tx;
                    if (left_in_row >= 16) {
                        _mm256_storeu_ps(target, first8);
                        _mm256_storeu_ps(target + 8, second8);
                    } else if (left_in_row > 0) {
                        float pixels[16];
                        _mm256_storeu_ps(pixels, first8);
                        _mm256_storeu_ps(pixels + 8, second8);
                        memcpy(target, pixels, sizeof(float) * left_in_row);
                    }
                }
            }
        }
    }
}

AVX2 void loupe_winograd_forward(
    const float *input, const float *gate, int in_channels, int height, int width, int row_begin, int row_end,
    const float *weights, const float *bias, int out_channels, int relu, float *output, float *work
) {
    Layout l = layout(in_channels, out_channels, width, height);
    long planes = (long)in_channels * (l.band + 2) * l.half_stride;
    float *even = work, *odd = even + planes;
    float *v = odd + planes;
    float *m = v + 16L * in_channels * l.tiles;
    float *u = m + 16L * out_channels * l.tiles;
    transform_weights(weights, in_channels, out_channels, u);
    // Tiles past the last row of tiles in a band are multiplied but never read: keep them finite.
    memset(v, 0, sizeof(float) * 16L * in_channels * l.tiles);
    for (int first = row_begin; first < row_end; first += l.band) {
        int rows = row_end - first < l.band ? row_end - first : l.band;
        int band = rows + (rows & 1);
        split_columns(input, gate, in_channels, height, width, first, band, l, even, odd);
        transform_input(even, odd, in_channels, band, l, v);
        multiply(u, v, in_channels, out_channels, l.tiles, m);
        transform_output(m, out_channels, l, bias, relu, first, band, row_end, height, width, output);
    }
}
