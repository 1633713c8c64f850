import FuzzTargets

/// The function libFuzzer calls with every input.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.template(UnsafeBufferPointer(start: data, count: size))
    return 0
}

// SwiftPM makes this top-level code the program's `main` (in place of libFuzzer's): it starts libFuzzer's driver.
FuzzTargets.runDriver(fuzzOneInput)
