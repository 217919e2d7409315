extension Dataset {
    /// Loads a data set from an IDX image file (`count × rows × columns`, or `count × features`) and
    /// an IDX label file (`count`), each gzip-compressed or plain. Checks that both hold the same
    /// number of samples and that every label is below `classes`. `missingHint` is attached to a
    /// `DataError.fileMissing` for either file.
    public init(imagesFile: String, labelsFile: String, classes: Int = 10, name: String? = nil,
                missingHint: String? = nil) throws(DataError) {
        let images = try IDXArray(contentsOf: imagesFile, missingHint: missingHint)
        guard images.dimensions.count >= 2 else {
            throw DataError.malformedHeader(
                path: imagesFile, detail: "an image file needs at least 2 dimensions (magic 0x00000803 "
                    + "for count × rows × columns), found \(images.dimensions.count)")
        }
        let labels = try IDXArray(contentsOf: labelsFile, missingHint: missingHint)
        guard labels.dimensions.count == 1 else {
            throw DataError.malformedHeader(
                path: labelsFile, detail: "a label file needs 1 dimension (magic 0x00000801), "
                    + "found \(labels.dimensions.count)")
        }
        let imageCount = images.dimensions[0]
        guard imageCount == labels.dimensions[0] else {
            throw DataError.countMismatch(images: imagesFile, imageCount: imageCount,
                                          labels: labelsFile, labelCount: labels.dimensions[0])
        }
        let shape = Array(images.dimensions.dropFirst())
        let features = shape.reduce(1, *)
        guard features > 0 else {
            throw DataError.malformedHeader(path: imagesFile, detail: "images of shape \(shape) have no pixels")
        }
        if let bad = Dataset.firstLabel(in: labels.bytes, notBelow: classes) {
            throw DataError.labelOutOfRange(source: labelsFile, index: bad, label: Int(labels.bytes[bad]),
                                            classes: classes)
        }
        try self.init(name: name ?? imagesFile, pixels: images.bytes, labels: labels.bytes,
                      features: features, classes: classes, imageShape: shape)
    }
}
