#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LuaStoreCore

/// Redis's geohash (geohash.c, geohash_helper.c): a position is a 52-bit score, the
/// latitude and longitude offsets in their ranges as 26-bit fixed point, interleaved
/// (latitude in the even bits). Latitudes are limited to Web Mercator's ±85.05112878.
enum GeoHash {
    static let longitudeRange = -180.0...180.0
    static let latitudeRange = -85.05112878...85.05112878
    static let step = 26
    /// Redis's earth radius (`EARTH_RADIUS_IN_METERS`).
    static let earthRadius = 6372797.560856

    /// `geohashEncode` in the given ranges: nil outside Redis's limits.
    static func encode(longitude: Double, latitude: Double,
                       longitudeRange: ClosedRange<Double> = longitudeRange,
                       latitudeRange: ClosedRange<Double> = latitudeRange) -> UInt64? {
        guard longitude <= 180, longitude >= -180, latitude <= 85.05112878, latitude >= -85.05112878,
              latitudeRange.contains(latitude), longitudeRange.contains(longitude) else { return nil }
        let scale = Double(UInt64(1) << step)
        let latitudeOffset = (latitude - latitudeRange.lowerBound) / (latitudeRange.upperBound - latitudeRange.lowerBound) * scale
        let longitudeOffset = (longitude - longitudeRange.lowerBound) / (longitudeRange.upperBound - longitudeRange.lowerBound) * scale
        return interleave(UInt32(latitudeOffset), UInt32(longitudeOffset))
    }

    /// The score GEOADD stores for a position (`geohashEncodeWGS84` aligned to 52 bits).
    static func score(longitude: Double, latitude: Double) -> Double? {
        encode(longitude: longitude, latitude: latitude).map { Double($0) }
    }

    /// The centre of the cell a score names (`decodeGeohash`), clamped to the limits.
    static func decode(_ score: Double) -> (longitude: Double, latitude: Double) {
        // Scores GEOADD did not write may be negative or huge, where C's cast is undefined.
        let bits: UInt64 = score >= 0 && score < 1.8e19 ? UInt64(score) : 0
        let (latitudeCell, longitudeCell) = deinterleave(bits)
        let scale = Double(UInt64(1) << step)
        let latitudeSpan = latitudeRange.upperBound - latitudeRange.lowerBound
        let longitudeSpan = longitudeRange.upperBound - longitudeRange.lowerBound
        let latitudeMin = latitudeRange.lowerBound + (Double(latitudeCell) * 1.0 / scale) * latitudeSpan
        let latitudeMax = latitudeRange.lowerBound + ((Double(latitudeCell) + 1) * 1.0 / scale) * latitudeSpan
        let longitudeMin = longitudeRange.lowerBound + (Double(longitudeCell) * 1.0 / scale) * longitudeSpan
        let longitudeMax = longitudeRange.lowerBound + ((Double(longitudeCell) + 1) * 1.0 / scale) * longitudeSpan
        let longitude = min(max((longitudeMin + longitudeMax) / 2, longitudeRange.lowerBound), longitudeRange.upperBound)
        let latitude = min(max((latitudeMin + latitudeMax) / 2, latitudeRange.lowerBound), latitudeRange.upperBound)
        return (longitude, latitude)
    }

    /// The 11-character standard geohash of a score (GEOHASH): the position decoded, then
    /// encoded again over latitudes ±90, the eleventh character always `0`.
    static func standardHash(_ score: Double) -> ByteString {
        let alphabet = Array("0123456789bcdefghjkmnpqrstuvwxyz".utf8)
        let (longitude, latitude) = decode(score)
        let bits = encode(longitude: longitude, latitude: latitude, latitudeRange: -90...90) ?? 0
        var text: [UInt8] = []
        for i in 0..<11 {
            let index = i == 10 ? 0 : Int((bits >> UInt64(52 - (i + 1) * 5)) & 0x1F)
            text.append(alphabet[index])
        }
        return ByteString(text)
    }

    /// The distance in meters between two positions (`geohashGetDistance`): haversine on
    /// Redis's sphere, with its shortcut when the longitudes are equal.
    static func distance(_ a: (longitude: Double, latitude: Double), _ b: (longitude: Double, latitude: Double)) -> Double {
        let radians = Double.pi / 180.0
        let lon1 = a.longitude * radians, lon2 = b.longitude * radians
        let v = sin((lon2 - lon1) / 2)
        if v == 0.0 { return earthRadius * abs(b.latitude * radians - a.latitude * radians) }
        let lat1 = a.latitude * radians, lat2 = b.latitude * radians
        let u = sin((lat2 - lat1) / 2)
        let h = u * u + cos(lat1) * cos(lat2) * v * v
        return 2.0 * earthRadius * asin(sqrt(h))
    }

    /// Two 32-bit values into one 64: `x` in the even bits, `y` in the odd (`interleave64`).
    static func interleave(_ x: UInt32, _ y: UInt32) -> UInt64 {
        spread(UInt64(x)) | (spread(UInt64(y)) << 1)
    }

    /// The even bits and the odd bits of `bits` (`deinterleave64`).
    static func deinterleave(_ bits: UInt64) -> (even: UInt32, odd: UInt32) {
        (UInt32(squash(bits)), UInt32(squash(bits >> 1)))
    }

    private static func spread(_ value: UInt64) -> UInt64 {
        var x = value & 0xFFFF_FFFF
        x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF
        x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF
        x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F
        x = (x | (x << 2)) & 0x3333_3333_3333_3333
        x = (x | (x << 1)) & 0x5555_5555_5555_5555
        return x
    }

    private static func squash(_ value: UInt64) -> UInt64 {
        var x = value & 0x5555_5555_5555_5555
        x = (x | (x >> 1)) & 0x3333_3333_3333_3333
        x = (x | (x >> 2)) & 0x0F0F_0F0F_0F0F_0F0F
        x = (x | (x >> 4)) & 0x00FF_00FF_00FF_00FF
        x = (x | (x >> 8)) & 0x0000_FFFF_0000_FFFF
        x = (x | (x >> 16)) & 0x0000_0000_FFFF_FFFF
        return x
    }
}
