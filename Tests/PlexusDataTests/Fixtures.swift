import CZlib
import Glibc
import PlexusData
import PlexusNumerics
import Testing

/// Runs `body` with a fresh temporary directory, removed (with its files) afterwards.
func withScratchDirectory<T>(_ body: (String) throws -> T) throws -> T {
    var template = Array("/tmp/plexus-data-test-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { throw FixtureError("mkdtemp failed") }
    let directory = String(cString: made)
    defer { removeDirectory(directory) }
    return try body(directory)
}

/// Deletes the plain files in `directory`, then the directory.
func removeDirectory(_ directory: String) {
    if let dir = opendir(directory) {
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { unlink("\(directory)/\(name)") }
        }
        closedir(dir)
    }
    rmdir(directory)
}

/// A test-setup failure.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The raw bytes of a file.
func readBytes(_ path: String) throws -> [UInt8] {
    guard let file = fopen(path, "rb") else { throw FixtureError("cannot open \(path)") }
    defer { fclose(file) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let got = fread(&chunk, 1, chunk.count, file)
        result += chunk[0..<got]
        if got < chunk.count { return result }
    }
}

/// Replaces a file's contents with `bytes`.
func writeBytes(_ bytes: [UInt8], to path: String) throws {
    guard let file = fopen(path, "wb") else { throw FixtureError("cannot create \(path)") }
    defer { fclose(file) }
    guard fwrite(bytes, 1, bytes.count, file) == bytes.count else { throw FixtureError("short write \(path)") }
}

/// `count` seeded random images of `side × side` pixels (about half of them zero, like digits on a
/// black background) and labels in `0..<classes`.
func randomIDX(count: Int, side: Int = 28, classes: Int = 10, seed: UInt64) -> (images: IDXArray, labels: IDXArray) {
    var rng = SeededRandom(seed: seed)
    let pixels = (0 ..< count * side * side).map { _ -> UInt8 in
        let v = rng.next()
        return v & 1 == 0 ? 0 : UInt8(truncatingIfNeeded: v >> 8)
    }
    let labels = (0..<count).map { _ in UInt8(rng.next() % UInt64(classes)) }
    return (IDXArray(dimensions: [count, side, side], bytes: pixels), IDXArray(dimensions: [count], bytes: labels))
}

/// Writes the four MNIST-style files into `directory` (gzip or plain per file).
func writeIDXDirectory(_ directory: String, train: Int, test: Int, seed: UInt64,
                       compressed: [Bool] = [true, true, true, true]) throws {
    let trainSet = randomIDX(count: train, seed: seed)
    let testSet = randomIDX(count: test, seed: seed &+ 1)
    let files = [(DataSource.trainImagesFile, trainSet.images), (DataSource.trainLabelsFile, trainSet.labels),
                 (DataSource.testImagesFile, testSet.images), (DataSource.testLabelsFile, testSet.labels)]
    for (k, (name, array)) in files.enumerated() {
        let path = "\(directory)/\(name)" + (compressed[k] ? ".gz" : "")
        try array.write(to: path, compressed: compressed[k])
    }
}

/// The `DataError` that `body` throws, or nil (another error is recorded as an issue).
func dataError(_ body: () throws -> Void) -> DataError? {
    do {
        try body()
        return nil
    } catch let error as DataError {
        return error
    } catch {
        Issue.record("expected a DataError, got \(error)")
        return nil
    }
}

/// Writes arbitrary `bytes` as a gzip file (the IDX writer only writes well-formed arrays).
func writeGzip(_ bytes: [UInt8], to path: String) throws {
    guard let file = gzopen(path, "wb") else { throw FixtureError("cannot create \(path)") }
    let written = bytes.isEmpty ? 0 : bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
    let closed = gzclose(file)
    guard Int(written) == bytes.count, closed == Z_OK else { throw FixtureError("gzip write failed: \(path)") }
}
