import Testing

/// `loupe bench layers|train|infer` refuse absurd shapes and unknown convolution paths before
/// they allocate anything.
@Suite struct BenchKernelOptionsTests {
    @Test(arguments: [
        (["layers", "--size", "0"], "--size must be 8 to 1024"),
        (["layers", "--size", "100000"], "--size must be 8 to 1024"),
        (["layers", "--size", "30"], "size must be a positive multiple of 8, got 30"),
        (["layers", "--batch-size=-1"], "--batch-size must be 1 to 256"),
        (["layers", "--repeats", "0"], "--repeats must be 1 to 1000"),
        (["layers", "--channels", "16,x"], "--channels: 'x' is not a number"),
        (["train", "--convolution", "fft"], "--convolution must be direct or im2col, got 'fft'"),
        (["infer", "--convolution", ""], "--convolution must be direct or im2col, got ''"),
    ])
    func hostileValuesAreRefusedWithAReason(arguments: [String], message: String) throws {
        let (status, output, errors) = try DaemonHarness.runLoupeCapturingErrors(["bench"] + arguments)
        #expect(status != 0)
        #expect(output.isEmpty)
        #expect(errors.contains(message), "\(errors)")
    }
}
