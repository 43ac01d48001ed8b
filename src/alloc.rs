//! The memory allocator's settings, chosen deliberately (issue: memory that
//! is freed must go back to the system).
//!
//! glibc's malloc serves a large block from `mmap` and gives it back when it
//! is freed, but after the first such free it raises its threshold to that
//! block's size, so later blocks of the same size come from the heap and are
//! kept. Password hashing takes ~19 MiB a time: 20 failed sign-ins left the
//! server at 226 MiB. A fixed threshold keeps every block of 1 MiB or more on
//! `mmap` (given back at once, at the cost of a few page faults per hash),
//! and two arenas per core at most keep many threads from each holding
//! their own heap. Other allocators (jemalloc, mimalloc) would do too, with
//! a C build and a dependency more; two settings suffice.

/// Applies the settings; call once, first thing in `main`.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let arenas = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
        let arenas = i32::try_from(arenas).unwrap_or(8);
        // SAFETY: mallopt only changes glibc's malloc parameters; it is
        // called before any other thread exists.
        #[expect(unsafe_code, reason = "mallopt has no safe wrapper")]
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}
