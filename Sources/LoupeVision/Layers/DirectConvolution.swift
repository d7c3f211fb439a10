import CLoupeKernels

/// How a 3x3 convolution is computed: CLoupeKernels' direct AVX2 kernels where the CPU has them,
/// else im2col columns multiplied by OpenBLAS. The two sum in different orders, so weights are
/// bitwise reproducible only on the same path.
public enum ConvolutionPath: String, Sendable {
    case direct
    case im2col

    public static let preferred: ConvolutionPath = loupe_conv3x3_available() != 0 ? .direct : .im2col
    /// The paths this CPU can run, preferred first.
    public static let available: [ConvolutionPath] = preferred == .direct ? [.direct, .im2col] : [.im2col]
}

/// The direct kernels over one image, with the work buffer sized by the library itself.
enum DirectConvolution {
    static func workFloats(inChannels: Int, outChannels: Int, height: Int, width: Int) -> Int {
        loupe_conv3x3_work_floats(Int32(inChannels), Int32(outChannels), Int32(width), Int32(height))
    }

    /// `second`: the image's channels from `firstChannels` on, when they live in another map.
    /// `secondOutput`: where output channels from `firstOutputs` on go, when they are split.
    static func forward(
        image: UnsafePointer<Float>, second: UnsafePointer<Float>?, firstChannels: Int, gate: UnsafePointer<Float>?,
        inChannels: Int, height: Int, width: Int, rows: Range<Int>, weights: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, outChannels: Int, relu: Bool, output: UnsafeMutablePointer<Float>,
        secondOutput: UnsafeMutablePointer<Float>?, firstOutputs: Int, work: UnsafeMutablePointer<Float>
    ) {
        loupe_conv3x3_forward(
            image, second, Int32(firstChannels), gate, Int32(inChannels), Int32(height), Int32(width),
            Int32(rows.lowerBound), Int32(rows.upperBound), weights, bias, Int32(outChannels), relu ? 1 : 0, output,
            secondOutput, Int32(firstOutputs), work)
    }

    /// Adds this image's weight and bias gradients to `weightGradient` and `biasGradient`.
    static func accumulateParameterGradients(
        image: UnsafePointer<Float>, second: UnsafePointer<Float>?, firstChannels: Int, inChannels: Int,
        outputGradient: UnsafePointer<Float>, gate: UnsafePointer<Float>?, outChannels: Int, height: Int, width: Int,
        weightGradient: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>,
        work: UnsafeMutablePointer<Float>
    ) {
        loupe_conv3x3_parameter_gradients(
            image, second, Int32(firstChannels), Int32(inChannels), outputGradient, gate, Int32(outChannels),
            Int32(height), Int32(width), weightGradient, biasGradient, work)
    }
}
