#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory for the keyspace's big arrays, on transparent huge pages where Linux offers them.
///
/// A GET on a large keyspace is one random 48-byte entry: one cache miss, and with 4 KiB
/// pages a TLB miss as well, whose page walk (nested, and so dearer, in a virtual
/// machine) the GET waits for too. `Benchmarks/tools/memlat.c` measures a dependent random
/// load over 64 MB on the VM of Docs/Benchmarks.md at 230-280 ns with 4 KiB pages and
/// 190-200 ns with 2 MiB pages. Linux backs a region with 2 MiB pages when it is marked
/// `MADV_HUGEPAGE` before it is touched (the usual `madvise` setting of
/// `/sys/kernel/mm/transparent_hugepage/enabled`), but only for the 2 MiB-aligned pieces
/// of it: a 3.6 MB array from `malloc` starts anywhere, and about half of it would stay on
/// small pages. So arrays of a huge page or more are mapped here directly, 2 MiB-aligned,
/// and every whole huge page of them can be one.
///
/// Redis advises turning THP off because it forks for persistence, and a fork's
/// copy-on-write then copies 2 MiB per touched page. LuaStore never forks, so it only
/// gains. Elsewhere (macOS, THP disabled) the memory is ordinary.
///
/// # Safety
/// `mmap`, `munmap` and `madvise` on addresses computed here. A mapped block is carved
/// out of a span 2 MiB longer than it needs: the unaligned head and the tail beyond the
/// page-rounded length are unmapped, so exactly `[aligned, aligned + length)` stays
/// mapped, and ``deallocate(_:)`` unmaps that same page-rounded length. A block records
/// how it was made (`mapped`), so it is always released the way it was allocated.
/// `madvise` is advice only: whether it is honoured changes no contents.
///
/// # Thread safety
/// Stateless; the functions are thread-safe.
enum HugePages {
    /// One huge page: arrays this big or bigger are mapped directly.
    static let size = 2 << 20

    /// A block from ``allocate(bytes:)``.
    struct Block {
        let pointer: UnsafeMutableRawPointer
        let bytes: Int
        /// Mapped here (true) or from the allocator.
        let mapped: Bool
    }

    /// `bytes` of uninitialized memory, aligned to at least 64 bytes; release it with
    /// ``deallocate(_:)``. Write it only after this returns (the advice applies to pages
    /// not yet touched).
    static func allocate(bytes: Int) -> Block {
        #if os(Linux)
        if bytes >= size, let p = mapAligned(bytes: bytes) { return Block(pointer: p, bytes: bytes, mapped: true) }
        #endif
        return Block(pointer: .allocate(byteCount: max(bytes, 1), alignment: 64), bytes: bytes, mapped: false)
    }

    /// Releases a block from ``allocate(bytes:)``.
    static func deallocate(_ block: Block) {
        #if os(Linux)
        if block.mapped {
            munmap(block.pointer, pageRounded(block.bytes))
            return
        }
        #endif
        block.pointer.deallocate()
    }

    #if os(Linux)
    private static let page = 4096

    private static func pageRounded(_ bytes: Int) -> Int { (bytes + page - 1) & ~(page - 1) }

    /// Maps `bytes + 2 MiB`, unmaps the unaligned head and the tail, and advises the rest.
    private static func mapAligned(bytes: Int) -> UnsafeMutableRawPointer? {
        let length = pageRounded(bytes)
        let span = length + size
        guard let raw = mmap(nil, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              raw != MAP_FAILED else { return nil }
        let start = Int(bitPattern: raw)
        let aligned = (start + size - 1) & ~(size - 1)
        if aligned > start { munmap(raw, aligned - start) }
        let end = aligned + length
        if start + span > end { munmap(UnsafeMutableRawPointer(bitPattern: end), start + span - end) }
        let p = UnsafeMutableRawPointer(bitPattern: aligned)!
        _ = madvise(p, length, MADV_HUGEPAGE)
        return p
    }
    #endif
}
