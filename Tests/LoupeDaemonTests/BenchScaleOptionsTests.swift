import Testing

/// `loupe bench scale` refuses sizes it cannot run before it writes anything.
@Suite struct BenchScaleOptionsTests {
    @Test(arguments: [
        (["--images", "0"], "--images must be 100 to 100000, not 0"),
        (["--images=-5"], "--images must be 100 to 100000, not -5"),
        (["--images", "100000000"], "--images must be 100 to 100000, not 100000000"),
        (["--size", "0"], "--size must be 32 to 2048 pixels, not 0"),
        (["--size=-256"], "--size must be 32 to 2048 pixels, not -256"),
        (["--size", "1000000"], "--size must be 32 to 2048 pixels, not 1000000"),
        (["--size", "huge"], "--size"),
    ])
    func hostileValuesAreRefusedWithAReason(arguments: [String], message: String) throws {
        let (status, output, errors) = try DaemonHarness.runLoupeCapturingErrors(["bench", "scale"] + arguments)
        #expect(status != 0)
        #expect(output.isEmpty)
        #expect(errors.contains(message), "\(errors)")
    }
}
