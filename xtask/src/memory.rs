//! How the process's allocator hands out memory.

/// glibc's `malloc` gives threads arenas of their own, and memory freed in one arena is not
/// reused by another. Generation frees its schema trees on the main thread once they are
/// lowered, then emits on worker threads: with an arena per worker, the freed memory stayed
/// resident beside the workers' new memory. With one arena the workers reuse it. Measured by
/// `cargo xtask bench` (memory probe, GitHub's description): peak RSS 187 MB -> 141 MB, and
/// generation no slower (the workers spend their time formatting, not allocating).
pub fn one_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        /// `M_ARENA_MAX` of glibc's `malloc.h`.
        const M_ARENA_MAX: i32 = -8;
        extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        // SAFETY: `mallopt` changes a setting of the allocator and touches no Rust memory; it
        // is called first thing in `main`, before any other thread exists.
        unsafe {
            mallopt(M_ARENA_MAX, 1);
        }
    }
}

/// Bytes the allocator has handed out and not had back (small blocks and mapped large ones),
/// from glibc's `mallinfo2`; `None` elsewhere.
#[cfg(feature = "tools")]
pub fn in_use() -> Option<usize> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        /// `struct mallinfo2` of glibc's `malloc.h`.
        #[repr(C)]
        struct MallInfo2 {
            arena: usize,
            ordblks: usize,
            smblks: usize,
            hblks: usize,
            hblkhd: usize,
            usmblks: usize,
            fsmblks: usize,
            uordblks: usize,
            fordblks: usize,
            keepcost: usize,
        }
        extern "C" {
            fn mallinfo2() -> MallInfo2;
        }
        // SAFETY: `mallinfo2` only reads the allocator's counters and returns them by value.
        let info = unsafe { mallinfo2() };
        Some(info.uordblks + info.hblkhd)
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    None
}
