// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Loupe",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "loupe", targets: ["loupe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(name: "CLibUV", pkgConfig: "libuv", providers: [.apt(["libuv1-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CTIFF", pkgConfig: "libtiff-4", providers: [.apt(["libtiff-dev"])]),
        // glibc's malloc.h, which the Glibc module leaves out: malloc_trim.
        .systemLibrary(name: "CMalloc"),

        // Optimised in debug builds too: the test suite trains networks through these kernels.
        .target(name: "CLoupeKernels", cSettings: [.unsafeFlags(["-O3"])]),

        .executableTarget(name: "MigrationEmbedder"),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["MigrationEmbedder"]),
        .executableTarget(name: "StaticEmbedder"),
        .plugin(name: "EmbedStatic", capability: .buildTool(), dependencies: ["StaticEmbedder"]),

        .target(
            name: "LoupeLedger",
            dependencies: ["CSQLite", .product(name: "Crypto", package: "swift-crypto")],
            plugins: ["EmbedMigrations"]
        ),
        .target(name: "LoupeVision", dependencies: ["CLoupeKernels", "COpenBLAS", "CPNG", "CZlib", "CTurboJPEG", "CTIFF"]),
        .target(
            name: "LoupeLab",
            dependencies: ["LoupeLedger", "LoupeVision", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "LoupeDaemon",
            dependencies: ["LoupeLab", "CLibUV", "CMalloc", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "LoupeServer",
            dependencies: [
                "LoupeDaemon", "LoupeLab",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            plugins: ["EmbedStatic"]
        ),
        .target(
            name: "LoupeHarness",
            dependencies: ["LoupeDaemon", "LoupeLab", "LoupeVision", "CZlib", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(
            name: "loupe",
            dependencies: [
                "LoupeHarness", "LoupeServer", "LoupeDaemon", "LoupeLab", "LoupeVision",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "LoupeLedgerTests", dependencies: ["LoupeLedger"]),
        .testTarget(name: "LoupeVisionTests", dependencies: ["LoupeVision", "CZlib", "CTurboJPEG", "CTIFF"]),
        .testTarget(name: "LoupeLabTests", dependencies: ["LoupeLab", "LoupeLedger", "LoupeVision", "CTurboJPEG"]),
        .testTarget(name: "LoupeDaemonTests", dependencies: ["LoupeDaemon", "LoupeHarness", "LoupeLab", "LoupeLedger", "LoupeVision", "loupe"]),
        .testTarget(
            name: "LoupeServerTests", dependencies: ["LoupeDaemon", "LoupeHarness", "LoupeLab", "LoupeServer", "LoupeVision", "loupe", .product(name: "Logging", package: "swift-log")],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "LoupeHarnessTests", dependencies: ["LoupeHarness", "LoupeLab", "LoupeVision"]),
    ],
    swiftLanguageModes: [.v6]
)
