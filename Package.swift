// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Tandem",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tandem", targets: ["tandem"]),
        .library(name: "TandemKit", targets: ["TandemKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        // The reference the theme engine (TandemKit/Render/Template) is tested against: see README, "Templates".
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        // `tandem serve`: a small HTTP server without further dependencies (see README, "Live preview").
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        // Excel workbooks (.xlsx) are ZIP containers: see docs/architecture-dependencies.md.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"]), .brew(["cmark"])]
        ),
        // `tandem send`: SMTP with STARTTLS, SMTPS and AUTH through libcurl (see docs/sending.md, "Why curl").
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        // Social cards: librsvg rasterises the theme's SVG cards to PNG (see docs/sharing.md).
        .systemLibrary(
            name: "CRsvg",
            pkgConfig: "librsvg-2.0",
            providers: [.apt(["librsvg2-dev"]), .brew(["librsvg"])]
        ),
        // QR codes in print/ (see docs/sharing.md).
        .systemLibrary(
            name: "CQrencode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"]), .brew(["qrencode"])]
        ),
        .target(
            name: "TandemKit",
            dependencies: [
                "CCmark",
                "CCurl",
                "CRsvg",
                "CQrencode",
                .product(name: "Yams", package: "Yams"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            // The built-in default theme: Templates/ compiled into the library (see docs/theme.md).
            plugins: ["EmbedTheme"]
        ),
        // Build-time only: turns Templates/ into Swift source for the EmbedTheme plugin.
        .executableTarget(name: "ThemeEmbedder"),
        .plugin(name: "EmbedTheme", capability: .buildTool(), dependencies: ["ThemeEmbedder"]),
        // The live preview's HTTP server, file watcher and reload; the incremental build it drives is TandemKit/Serve.
        .target(
            name: "TandemServe",
            dependencies: [
                "TandemKit",
                .product(name: "FlyingFox", package: "FlyingFox"),
            ]
        ),
        .executableTarget(
            name: "tandem",
            dependencies: [
                "TandemKit",
                "TandemServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "TandemKitTests",
            dependencies: [
                "TandemKit", .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                // The reference for the byte-level CSV splitter (CSVRecordsTests).
                .product(name: "CSV", package: "CSV.swift"),
            ],
            // Workbooks and survey exports made with spreadsheet programs (see Fixtures/*/README or make-*.py).
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "TandemServeTests",
            dependencies: ["TandemServe", "TandemKit"]
        ),
    ]
)
