//! A `Runner` drives a recursion 5,000,000 deep a million steps at a time, reporting how deep
//! it is between resumes; a depth limit then turns a hostile input into an error, and
//! dropping a runner cancels a computation halfway.
//!
//! `cargo run --release --example stepping`

use std::task::Poll;
use std::time::Instant;

use fiber_runtime::{Error, Runner, fiber};

/// Counts the groups of a nested text such as `(()(()))`, starting at the `(` at `*pos` and
/// leaving `*pos` after its `)`: one frame per level of nesting.
#[fiber]
fn groups(src: &[u8], pos: &mut usize) -> Result<u64, String> {
    *pos += 1;
    let mut count = 1;
    loop {
        match src.get(*pos) {
            Some(b'(') => count += groups(src, pos)?,
            Some(b')') => {
                *pos += 1;
                return Ok(count);
            }
            Some(_) => *pos += 1,
            None => return Err(format!("unclosed `(` at the end, byte {}", *pos)),
        }
    }
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    let n = 5_000_000;
    let nested = format!("{}{}", "(".repeat(n), ")".repeat(n));

    // A step runs one frame up to its next call or its return: 5,000,000 calls down, then
    // 5,000,000 resumes on the way back up.
    println!("Counting the groups of a text nested {n} deep, 1,000,000 steps per resume:");
    let start = Instant::now();
    let mut pos = 0;
    let mut runner = Runner::new(groups(nested.as_bytes(), &mut pos));
    let result = loop {
        match runner.resume(1_000_000) {
            Poll::Pending => println!(
                "  paused after {:>8} steps: {:>7} frames deep, {:>5.1} MiB of frames, {:>6.1?}",
                runner.steps(),
                runner.depth(),
                mib(runner.stack_bytes()),
                start.elapsed()
            ),
            Poll::Ready(result) => break result,
        }
    };
    let count = result.expect("no depth limit was set").expect("the text is balanced");
    println!(
        "  done: {count} groups, {} steps, {} frames deep at most, {:.1?}",
        runner.steps(),
        runner.peak_depth(),
        start.elapsed()
    );
    drop(runner);
    assert_eq!((count, pos), (n as u64, 2 * n));

    // Input from outside the program: a limit ends it cleanly, long before memory runs out.
    let limit = 100_000;
    let hostile = "(".repeat(50_000_000);
    println!("\nA hostile input, 50,000,000 `(` with no `)`, with max_depth({limit}):");
    let start = Instant::now();
    let mut pos = 0;
    let mut runner = Runner::new(groups(hostile.as_bytes(), &mut pos)).max_depth(limit);
    match runner.resume(u64::MAX) {
        Poll::Ready(Err(Error::DepthLimit { limit })) => println!(
            "  stopped: Error::DepthLimit {{ limit: {limit} }} after {} steps, {:.1?}; {} frames left, \
             {} bytes held",
            runner.steps(),
            start.elapsed(),
            runner.depth(),
            runner.stack_bytes()
        ),
        other => panic!("expected the depth limit, got {other:?}"),
    }

    // Cancelling: dropping a runner drops its live frames, innermost first.
    println!("\nThe nested text again, cancelled after 3,000,000 steps:");
    let mut pos = 0;
    let mut runner = Runner::new(groups(nested.as_bytes(), &mut pos));
    assert!(runner.resume(3_000_000).is_pending());
    let (depth, bytes) = (runner.depth(), runner.stack_bytes());
    let start = Instant::now();
    drop(runner);
    println!(
        "  dropped the runner at {depth} frames deep ({:.1} MiB) in {:.1?}",
        mib(bytes),
        start.elapsed()
    );
}
