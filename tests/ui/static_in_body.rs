use fiber_runtime::fiber;

#[fiber]
fn count(n: u64) -> u64 {
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if n == 0 { 0 } else { 1 + count(n - 1) }
}

fn main() {}
