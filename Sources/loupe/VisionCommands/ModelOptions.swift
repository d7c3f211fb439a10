import ArgumentParser
import LoupeVision

/// Architecture flags shared by `train` and `bench`.
struct ModelOptions: ParsableArguments {
    @Option(help: "Encoder widths, comma-separated (the decoder mirrors them).")
    var channels: String = "16,32,64"

    @Option(help: "Bottleneck width.")
    var bottleneck: Int = 128

    @Option(help: "Input channels: gray, green or rgb.")
    var input: String = "green"

    @Flag(help: "Add the guidance inputs for an expert's clicks (hints); training simulates the clicks.")
    var guidance = false

    @Option(help: "Worker threads (a fixed count gives reproducible weights).")
    var threads: Int = 2

    func config() throws -> ModelConfig {
        let widths = try channels.split(separator: ",").map { part -> Int in
            guard let width = Int(part.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--channels: '\(part)' is not a number")
            }
            return width
        }
        guard let mode = InputMode(rawValue: input) else {
            throw ValidationError("--input must be gray, green or rgb, got '\(input)'")
        }
        let config = ModelConfig(channels: widths, bottleneck: bottleneck, input: mode, guidance: guidance)
        try config.validate()
        return config
    }
}

/// `--convolution`: which 3x3 convolution path a benchmark runs, to compare them side by side.
struct ConvolutionOptions: ParsableArguments {
    @Option(help: "3x3 convolution path: direct (AVX2 kernels) or im2col (OpenBLAS GEMM); default: the fastest this CPU runs.")
    var convolution: String?

    func path() throws -> ConvolutionPath {
        guard let convolution else { return .preferred }
        guard let path = ConvolutionPath(rawValue: convolution) else {
            throw ValidationError("--convolution must be direct or im2col, got '\(convolution)'")
        }
        guard ConvolutionPath.available.contains(path) else {
            throw ValidationError("--convolution direct needs a CPU with AVX2 and FMA")
        }
        return path
    }
}
