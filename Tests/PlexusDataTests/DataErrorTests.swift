import PlexusData
import Testing

@Suite("Error messages")
struct DataErrorTests {
    @Test("every error is one line that names its file or spec and the problem")
    func descriptions() {
        let f = "/data/train-images-idx3-ubyte.gz"
        let cases: [(DataError, [String])] = [
            (.fileMissing(path: f, hint: "install it with `apt-get install dataset-fashion-mnist`"),
             [f, "not found", "apt-get install dataset-fashion-mnist"]),
            (.ioFailure(path: f, detail: "cannot open: Permission denied"), [f, "Permission denied"]),
            (.notIDX(path: f, magic: 0x1F8B_0808), [f, "not an IDX file", "0x1f8b0808", "0x00000803"]),
            (.malformedHeader(path: f, detail: "the header ends after 9 of 16 bytes"), [f, "header", "9 of 16"]),
            (.truncatedGzip(path: f), [f, "truncated gzip"]),
            (.corruptGzip(path: f, detail: "incorrect data check"), [f, "corrupt gzip", "incorrect data check"]),
            (.payloadLengthMismatch(path: f, expected: 100, actual: 90), [f, "truncated", "100", "90"]),
            (.payloadLengthMismatch(path: f, expected: 100, actual: 101), [f, "trailing data", "101"]),
            (.countMismatch(images: f, imageCount: 5, labels: "/data/l", labelCount: 6), [f, "/data/l", "5", "6"]),
            (.labelOutOfRange(source: "/data/l", index: 7, label: 12, classes: 10), ["/data/l", "12", "7", "0..<10"]),
            (.invalidDataSpec(spec: "mnits", reason: "unknown data source"),
             ["'mnits'", "fashion-mnist", "idx:DIR", "synthetic:TRAIN:TEST"]),
        ]
        for (error, needles) in cases {
            let text = error.description
            #expect(!text.contains("\n"), "\(text)")
            for needle in needles { #expect(text.contains(needle), "'\(text)' lacks '\(needle)'") }
        }
    }
}
