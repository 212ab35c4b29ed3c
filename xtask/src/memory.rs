//! How the process's allocator hands out memory.

/// glibc's `malloc` gives threads arenas of their own, and memory freed in one arena is not
/// reused by another. Generation frees its schema trees on the main thread once they are
/// lowered, then emits on worker threads: with an arena per worker, the freed memory stayed
/// resident beside the workers' new memory. With one arena the workers reuse it. Measured by
/// `cargo xtask bench` (memory probe, GitHub's description): peak RSS 183 MB -> 137 MB, and
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
