#ifndef LOUPE_KERNELS_H
#define LOUPE_KERNELS_H

/// Direct 3x3 "same" convolutions (stride 1, padding 1) over planar (NCHW) float images, with
/// AVX2 + FMA kernels chosen at run time. Every sum runs in a fixed order, so results depend
/// on the arguments only, never on timing.

/// 1 when this CPU has AVX2 and FMA, the only kernels built here; 0 otherwise. The calls below
/// may only be made when it is 1.
int loupe_conv3x3_available(void);

/// Floats of `work` that either call below needs for these shapes. The calls work through
/// bands of rows whose padded input (and gradient) stay in a core's L2.
long loupe_conv3x3_work_floats(int in_channels, int out_channels, int width, int height);

/// out[o, y, x] = bias[o] + sum over c, ky, kx of weights[o, c, ky, kx] * in[c, y+ky-1, x+kx-1]
/// for rows y in [row_begin, row_end); with `relu`, max(that, 0). `bias` may be NULL (zero).
/// weights: out_channels x in_channels x 3 x 3. With a `second` map, `in` is `input`'s
/// `first_channels` channels followed by `second`'s: a UNet's skip and up-sampled maps, joined
/// without a copy. With a `gate` (shaped like `in`), `in` is the input where the gate is positive
/// and 0 elsewhere: the gradient through a ReLU whose output is the gate. With a `second_output`,
/// output channels from `first_outputs` on are written there: a joined map's input gradient,
/// split back into its two maps without a copy.
void loupe_conv3x3_forward(
    const float *input, const float *second, int first_channels, const float *gate, int in_channels, int height,
    int width, int row_begin, int row_end,
    const float *weights, const float *bias, int out_channels, int relu,
    float *output, float *second_output, int first_outputs, float *work);

/// weight_gradient[o, c, ky, kx] += sum over y, x of dy[o, y, x] * in[c, y+ky-1, x+kx-1], and
/// bias_gradient[o] += sum of dy[o], over the whole image. With a `gate` (shaped like dy), dy is
/// the output gradient where the gate is positive and 0 elsewhere. `second` and `first_channels`
/// join two maps into `in` as in the forward call.
void loupe_conv3x3_parameter_gradients(
    const float *input, const float *second, int first_channels, int in_channels, const float *output_gradient,
    const float *gate, int out_channels, int height, int width, float *weight_gradient, float *bias_gradient,
    float *work);

#endif
