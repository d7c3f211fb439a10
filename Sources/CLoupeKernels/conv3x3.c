#include "LoupeKernels.h"

#include <immintrin.h>
#include <string.h>

// Each band of output rows is copied once into a zero-bordered buffer `width + 2` wide. In that
// layout output pixel q = r * (width + 2) + x reads input q + ky * (width + 2) + kx for every
// tap, so a whole band is one long run of vectors with no border tests; the two columns past
// each row are computed and dropped.

#define AVX2 __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline))
// Floats read past a band's last plane by the vectors that straddle its end.
#define SLACK 64
// Floats of padded input (and gradient) a band may hold: half of a core's L2 here.
#define BAND_BUDGET (1 << 16)

int loupe_conv3x3_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

static int band_rows(int channels, int width, int height) {
    int rows = BAND_BUDGET / (channels * (width + 2));
    if (rows < 1) rows = 1;
    return rows < height ? rows : height;
}

static int forward_rows(int in_channels, int width, int height) {
    return band_rows(in_channels + 4, width, height);
}

static int gradient_rows(int in_channels, int out_channels, int width, int height) {
    return band_rows(in_channels + out_channels, width, height);
}

static long round8(long n) { return (n + 7) & ~7L; }

static int group_blocks(int in_channels);

long loupe_conv3x3_work_floats(int in_channels, int out_channels, int width, int height) {
    long padded_width = width + 2;
    long rows = forward_rows(in_channels, width, height);
    long group = 4L * group_blocks(in_channels);
    long forward = in_channels * (rows + 2) * padded_width + SLACK + 9L * in_channels * (out_channels + 3)
        + (group < out_channels + 3 ? group : out_channels + 3) * (round8(rows * padded_width) + 16);
    rows = gradient_rows(in_channels, out_channels, width, height);
    long gradient = in_channels * (rows + 2) * padded_width + SLACK
        + (long)out_channels * (round8(rows * padded_width) + 8);
    return (forward > gradient ? forward : gradient) + 16;
}

/// target[i] = source[i] where gate[i] > 0, else 0. Both loads are unconditional so that the
/// loop vectorises; a conditional load kept it scalar and made it 7% of a training step.
AVX2 static void gated_copy(const float *source, const float *gate, int count, float *target) {
    for (int i = 0; i < count; i++) {
        float value = source[i];
        target[i] = gate[i] > 0 ? value : 0;
    }
}

/// Rows [first - 1, first + rows + 1) of every channel, zero outside the image, into `padded`;
/// with a gate, zero too where the gate is not positive. Channels from `first_channels` on are
/// read from `second` when there is one.
AVX2 static void pad_rows(
    const float *input, const float *second, int first_channels, const float *gate, int channels, int height,
    int width, int first, int rows, float *padded
) {
    if (!second) first_channels = channels;
    long padded_width = width + 2, plane = (long)(rows + 2) * padded_width;
    for (int c = 0; c < channels; c++) {
        const float *source = c < first_channels ? input + (long)c * height * width
            : second + (long)(c - first_channels) * height * width;
        for (int r = 0; r < rows + 2; r++) {
            float *row = padded + c * plane + r * padded_width;
            int y = first - 1 + r;
            if (y < 0 || y >= height) {
                memset(row, 0, sizeof(float) * padded_width);
                continue;
            }
            row[0] = 0;
            long offset = (long)y * width;
            if (gate) {
                gated_copy(source + offset, gate + (long)c * height * width + offset, width, row + 1);
            } else {
                memcpy(row + 1, source + offset, sizeof(float) * width);
            }
            row[width + 1] = 0;
        }
    }
    memset(padded + channels * plane, 0, sizeof(float) * SLACK);
}

/// tmp[j][q..<q+16] for `blocks` output channels whose weights are packed [channel][tap][j].
/// Two vectors of pixels by four channels: with three vectors the 12 accumulators, 3 inputs and
/// a weight take all 16 AVX2 registers, the compiler spills, and the kernel ran about 25% slower.
INLINE AVX2 void forward_chunk(
    const float *padded, long plane, int in_channels, long padded_width, const float *packed, int blocks,
    long q, float *tmp, long tmp_stride
) {
    __m256 acc[4][2];
    for (int j = 0; j < blocks; j++) acc[j][0] = acc[j][1] = _mm256_setzero_ps();
    for (int c = 0; c < in_channels; c++) {
        const float *source = padded + c * plane + q;
        const float *w = packed + c * 9 * blocks;
        for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
                const float *s = source + ky * padded_width + kx;
                __m256 x0 = _mm256_loadu_ps(s), x1 = _mm256_loadu_ps(s + 8);
                const float *tap = w + (ky * 3 + kx) * blocks;
                for (int j = 0; j < blocks; j++) {
                    __m256 weight = _mm256_broadcast_ss(tap + j);
                    acc[j][0] = _mm256_fmadd_ps(weight, x0, acc[j][0]);
                    acc[j][1] = _mm256_fmadd_ps(weight, x1, acc[j][1]);
                }
            }
        }
    }
    for (int j = 0; j < blocks; j++) {
        _mm256_storeu_ps(tmp + j * tmp_stride + q, acc[j][0]);
        _mm256_storeu_ps(tmp + j * tmp_stride + q + 8, acc[j][1]);
    }
}

AVX2 static void forward_chunk4(
    const float *padded, long plane, int in_channels, long padded_width, const float *packed, long q, float *tmp,
    long tmp_stride
) {
    forward_chunk(padded, plane, in_channels, padded_width, packed, 4, q, tmp, tmp_stride);
}

AVX2 static void forward_chunk1(
    const float *padded, long plane, int in_channels, long padded_width, const float *packed, long q, float *tmp,
    long tmp_stride
) {
    forward_chunk(padded, plane, in_channels, padded_width, packed, 1, q, tmp, tmp_stride);
}

/// Weights of output channels [first, first + blocks) as [channel][tap][j].
static void pack_weights(const float *weights, int in_channels, int first, int blocks, float *packed) {
    for (int c = 0; c < in_channels; c++)
        for (int t = 0; t < 9; t++)
            for (int j = 0; j < blocks; j++)
                packed[(c * 9 + t) * blocks + j] = weights[((long)(first + j) * in_channels + c) * 9 + t];
}

/// Rows of tmp (padded width) into the output, with bias and ReLU. Channels from `first_outputs`
/// on go to `second_output`.
static void store_rows(
    const float *tmp, long tmp_stride, int channels, int first_output, const float *bias, int relu,
    int first_row, int rows, int height, int width, float *output, float *second_output, int first_outputs
) {
    long padded_width = width + 2;
    for (int j = 0; j < channels; j++) {
        int o = first_output + j;
        float b = bias ? bias[o] : 0;
        for (int r = 0; r < rows; r++) {
            const float *source = tmp + j * tmp_stride + r * padded_width;
            float *target = o < first_outputs ? output + ((long)o * height + first_row + r) * width
                : second_output + ((long)(o - first_outputs) * height + first_row + r) * width;
            if (relu) {
                for (int x = 0; x < width; x++) {
                    float value = source[x] + b;
                    target[x] = value > 0 ? value : 0;
                }
            } else {
                for (int x = 0; x < width; x++) target[x] = source[x] + b;
            }
        }
    }
}

// Blocks of 4 output channels computed per pass over a band: their packed weights stay in L1
// while each chunk of the band's input is read once per pass.
static int group_blocks(int in_channels) {
    int blocks = 4096 / (36 * in_channels);
    return blocks < 1 ? 1 : blocks;
}

AVX2 void loupe_conv3x3_forward(
    const float *input, const float *second, int first_channels, const float *gate, int in_channels, int height,
    int width, int row_begin, int row_end,
    const float *weights, const float *bias, int out_channels, int relu, float *output, float *second_output,
    int first_outputs, float *work
) {
    if (!second_output) first_outputs = out_channels;
    int band = forward_rows(in_channels, width, height);
    long padded_width = width + 2, tmp_stride = round8(band * padded_width) + 16;
    int full = out_channels / 4, group = group_blocks(in_channels);
    float *padded = work;
    float *packed = padded + in_channels * (band + 2) * padded_width + SLACK;
    float *tmp = packed + (long)out_channels * in_channels * 9;
    for (int b = 0; b < full; b++) pack_weights(weights, in_channels, 4 * b, 4, packed + 36L * in_channels * b);
    for (int o = 4 * full; o < out_channels; o++) pack_weights(weights, in_channels, o, 1, packed + 9L * in_channels * o);
    for (int first = row_begin; first < row_end; first += band) {
        int rows = row_end - first < band ? row_end - first : band;
        long plane = (rows + 2) * padded_width, length = rows * padded_width;
        pad_rows(input, second, first_channels, gate, in_channels, height, width, first, rows, padded);
        for (int g = 0; g < full; g += group) {
            int blocks = full - g < group ? full - g : group;
            for (long q = 0; q < length; q += 16)
                for (int b = 0; b < blocks; b++)
                    forward_chunk4(padded, plane, in_channels, padded_width, packed + 36L * in_channels * (g + b), q,
                                   tmp + 4 * b * tmp_stride, tmp_stride);
            store_rows(tmp, tmp_stride, 4 * blocks, 4 * g, bias, relu, first, rows, height, width, output,
                       second_output, first_outputs);
        }
        for (int o = 4 * full; o < out_channels; o++) {
            for (long q = 0; q < length; q += 16)
                forward_chunk1(padded, plane, in_channels, padded_width, packed + 9L * in_channels * o, q, tmp, tmp_stride);
            store_rows(tmp, tmp_stride, 1, o, bias, relu, first, rows, height, width, output,
                       second_output, first_outputs);
        }
    }
}

AVX2 static float horizontal_sum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/// gradient[j][c][ky][kx] += sum over q < length (a multiple of 8) of dy[j][q] * padded[c][q + ky * pw + kx].
INLINE AVX2 void gradient_block(
    const float *padded, long plane, int in_channels, long padded_width, const float *dy, long dy_stride,
    int blocks, long length, float *gradient
) {
    for (int c = 0; c < in_channels; c++) {
        for (int ky = 0; ky < 3; ky++) {
            __m256 acc[4][3];
            for (int j = 0; j < blocks; j++)
                for (int kx = 0; kx < 3; kx++) acc[j][kx] = _mm256_setzero_ps();
            const float *source = padded + c * plane + ky * padded_width;
            for (long q = 0; q < length; q += 8) {
                __m256 x0 = _mm256_loadu_ps(source + q), x1 = _mm256_loadu_ps(source + q + 1),
                       x2 = _mm256_loadu_ps(source + q + 2);
                for (int j = 0; j < blocks; j++) {
                    __m256 g = _mm256_loadu_ps(dy + j * dy_stride + q);
                    acc[j][0] = _mm256_fmadd_ps(g, x0, acc[j][0]);
                    acc[j][1] = _mm256_fmadd_ps(g, x1, acc[j][1]);
                    acc[j][2] = _mm256_fmadd_ps(g, x2, acc[j][2]);
                }
            }
            for (int j = 0; j < blocks; j++)
                for (int kx = 0; kx < 3; kx++)
                    gradient[((long)j * in_channels + c) * 9 + ky * 3 + kx] += horizontal_sum(acc[j][kx]);
        }
    }
}

AVX2 static float sum8(const float *values, long length) {
    __m256 acc = _mm256_setzero_ps();
    for (long q = 0; q < length; q += 8) acc = _mm256_add_ps(acc, _mm256_loadu_ps(values + q));
    return horizontal_sum(acc);
}

AVX2 void loupe_conv3x3_parameter_gradients(
    const float *input, const float *second, int first_channels, int in_channels, const float *output_gradient,
    const float *gate, int out_channels, int height, int width, float *weight_gradient, float *bias_gradient,
    float *work
) {
    int band = gradient_rows(in_channels, out_channels, width, height);
    long padded_width = width + 2;
    float *padded = work;
    float *dy = padded + in_channels * (band + 2) * padded_width + SLACK;
    for (int first = 0; first < height; first += band) {
        int rows = height - first < band ? height - first : band;
        long plane = (rows + 2) * padded_width, length = round8(rows * padded_width);
        pad_rows(input, second, first_channels, NULL, in_channels, height, width, first, rows, padded);
        for (int o = 0; o < out_channels; o++) {
            float *row = dy + o * length;
            for (int r = 0; r < rows; r++, row += padded_width) {
                long offset = ((long)o * height + first + r) * width;
                if (gate) {
                    gated_copy(output_gradient + offset, gate + offset, width, row);
                } else {
                    memcpy(row, output_gradient + offset, sizeof(float) * width);
                }
                row[width] = row[width + 1] = 0;
            }
            memset(dy + o * length + rows * padded_width, 0, sizeof(float) * (length - rows * padded_width));
            bias_gradient[o] += sum8(dy + o * length, length);
        }
        int o = 0;
        for (; o + 4 <= out_channels; o += 4)
            gradient_block(padded, plane, in_channels, padded_width, dy + o * length, length, 4, length,
                           weight_gradient + (long)o * in_channels * 9);
        for (; o < out_channels; o++)
            gradient_block(padded, plane, in_channels, padded_width, dy + o * length, length, 1, length,
                           weight_gradient + (long)o * in_channels * 9);
    }
}
