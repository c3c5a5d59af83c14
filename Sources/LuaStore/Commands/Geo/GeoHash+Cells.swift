#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The cells of a search (geohash.c's `geohashEncode`, `geohashDecode`,
/// `geohashNeighbors`; geohash_helper.c's `geohashCalculateAreasByShapeWGS84`): a search
/// reads the sorted set's score ranges of the cell holding the centre at an estimated
/// precision and of its eight neighbours, then filters each member by the shape.
extension GeoHash {
    /// A cell: `step` bits of latitude and of longitude, interleaved (latitude in the even
    /// bits). Step 0 with no bits is the "zero" cell, one that a search skips.
    struct Cell: Equatable {
        var bits: UInt64
        var step: Int

        static let zero = Cell(bits: 0, step: 0)
        var isZero: Bool { bits == 0 && step == 0 }

        /// The scores of the members inside the cell: `min` included, `max` excluded
        /// (`scoresOfGeoHashBox`).
        var scores: (min: Double, max: Double) {
            let shift = UInt64(52 - step * 2)
            return (Double(bits << shift), Double((bits &+ 1) << shift))
        }
    }

    /// A cell's bounds in degrees.
    struct Area {
        var longitudeMin, longitudeMax, latitudeMin, latitudeMax: Double
    }

    /// The cell at `step` holding a position (`geohashEncode` over Redis's ranges); nil
    /// outside the limits.
    static func cell(longitude: Double, latitude: Double, step: Int) -> Cell? {
        guard longitude <= 180, longitude >= -180, latitude <= 85.05112878, latitude >= -85.05112878 else { return nil }
        let scale = Double(UInt64(1) << UInt64(step))
        let latitudeOffset = (latitude - latitudeRange.lowerBound) / (latitudeRange.upperBound - latitudeRange.lowerBound) * scale
        let longitudeOffset = (longitude - longitudeRange.lowerBound) / (longitudeRange.upperBound - longitudeRange.lowerBound) * scale
        return Cell(bits: interleave(UInt32(latitudeOffset), UInt32(longitudeOffset)), step: step)
    }

    /// A cell's bounds (`geohashDecode`).
    static func area(of cell: Cell) -> Area {
        let (latitudeCell, longitudeCell) = deinterleave(cell.bits)
        let scale = Double(UInt64(1) << UInt64(cell.step))
        let latitudeSpan = latitudeRange.upperBound - latitudeRange.lowerBound
        let longitudeSpan = longitudeRange.upperBound - longitudeRange.lowerBound
        return Area(
            longitudeMin: longitudeRange.lowerBound + (Double(longitudeCell) * 1.0 / scale) * longitudeSpan,
            longitudeMax: longitudeRange.lowerBound + ((Double(longitudeCell) + 1) * 1.0 / scale) * longitudeSpan,
            latitudeMin: latitudeRange.lowerBound + (Double(latitudeCell) * 1.0 / scale) * latitudeSpan,
            latitudeMax: latitudeRange.lowerBound + ((Double(latitudeCell) + 1) * 1.0 / scale) * latitudeSpan)
    }

    /// The cell `dx` columns east and `dy` rows north, wrapping around at the grid's
    /// edges as Redis's bit arithmetic does (`geohash_move_x`, `geohash_move_y`).
    static func moved(_ cell: Cell, dx: Int, dy: Int) -> Cell {
        var bits = cell.bits
        if dx != 0 { bits = moved(bits, coordinate: 0xAAAA_AAAA_AAAA_AAAA, by: dx, step: cell.step) }
        if dy != 0 { bits = moved(bits, coordinate: 0x5555_5555_5555_5555, by: dy, step: cell.step) }
        return Cell(bits: bits, step: cell.step)
    }

    /// One cell along the coordinate whose bits `coordinate` masks (longitude in the odd
    /// bits, latitude in the even): the other coordinate's bits set to ones carry the
    /// increment (or borrow the decrement) across them.
    private static func moved(_ bits: UInt64, coordinate: UInt64, by d: Int, step: Int) -> UInt64 {
        let shift = UInt64(64 - step * 2)
        let carry = ~coordinate >> shift
        var value = bits & coordinate
        value = d > 0 ? value &+ (carry &+ 1) : (value | carry) &- (carry &+ 1)
        return (value & (coordinate >> shift)) | (bits & ~coordinate)
    }

    /// The precision whose cells cover a radius (`geohashEstimateStepsByRadius`).
    static func estimatedStep(radiusMeters: Double, latitude: Double) -> Int {
        if radiusMeters == 0 { return 26 }
        var range = radiusMeters
        var step = 1
        while range < 20037726.37 {
            range *= 2
            step += 1
        }
        step -= 2
        if latitude > 66 || latitude < -66 {
            step -= 1
            if latitude > 80 || latitude < -80 { step -= 1 }
        }
        return min(max(step, 1), 26)
    }

    /// The cells to read for a search, in Redis's order: the centre's, then north, south,
    /// east, west, north-east, north-west, south-east, south-west; zero for a neighbour
    /// the shape's bounding box cannot reach.
    static func searchCells(_ shape: GeoShape) -> [Cell] {
        let bounds = shape.boundingBox
        let step0 = estimatedStep(radiusMeters: shape.coverRadiusMeters, latitude: shape.latitude)
        var step = step0
        func cells(_ step: Int) -> (Cell, [Cell])? {
            guard let centre = cell(longitude: shape.longitude, latitude: shape.latitude, step: step) else { return nil }
            let around = [(0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1)]
            return (centre, around.map { moved(centre, dx: $0.0, dy: $0.1) })
        }
        guard var (centre, neighbours) = cells(step) else { return [] }
        let north = area(of: neighbours[0]), south = area(of: neighbours[1])
        let east = area(of: neighbours[2]), west = area(of: neighbours[3])
        let decrease = north.latitudeMax < bounds.latitudeMax || south.latitudeMin > bounds.latitudeMin
            || east.longitudeMax < bounds.longitudeMax || west.longitudeMin > bounds.longitudeMin
        if step > 1 && decrease {
            step -= 1
            guard let smaller = cells(step) else { return [] }
            (centre, neighbours) = smaller
        }
        if step >= 2 {
            let a = area(of: centre)
            // Indices into `neighbours`: N S E W NE NW SE SW.
            if a.latitudeMin < bounds.latitudeMin { for i in [1, 6, 7] { neighbours[i] = .zero } }
            if a.latitudeMax > bounds.latitudeMax { for i in [0, 4, 5] { neighbours[i] = .zero } }
            if a.longitudeMin < bounds.longitudeMin { for i in [3, 7, 5] { neighbours[i] = .zero } }
            if a.longitudeMax > bounds.longitudeMax { for i in [2, 6, 4] { neighbours[i] = .zero } }
        }
        return [centre] + neighbours
    }
}
