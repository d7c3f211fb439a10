import CMalloc

/// Keeps the daemon's resident memory near its starting size between heavy jobs.
///
/// glibc gives each thread that allocates under contention an arena of its own (libuv's pool
/// threads, the compute workers), keeps what is freed in it, and `malloc_trim` does not give
/// all of it back: after every training and sweep about 50 MiB stayed resident in those
/// arenas, on top of the trimmed main heap (bench/results/memory-soak.txt). With one arena,
/// trimming returns the daemon to a few MiB above its start; the tensors that threads share
/// it for are large and few, so training speed did not measurably change.
enum ProcessMemory {
    /// Before the daemon starts any thread.
    static func useOneArena() {
        mallopt(M_ARENA_MAX, 1)
    }

    /// Hands what was freed back to the system; after a heavy job.
    static func releaseFreed() {
        malloc_trim(0)
    }
}
