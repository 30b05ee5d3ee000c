//! Bytes per level, one workload and variant per process (`suite --fiber-memory C fiber`):
//! the growth of the process's peak resident set (`VmHWM` in /proc/self/status, reset through
//! /proc/self/clear_refs after the input is built) divided by the recursion's depth. For the
//! fiber it also prints the heap stack's own size at its deepest (`Runner::stack_bytes`) per
//! level and per frame. Prints one line: `key=value` pairs that `fiber-bench` reads.

use std::sync::Arc;

use fiber_runtime::{Fiber, Runner};

use crate::{BIG_STACK, Variant, c_linear, d_tree, e_parser};

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `variant` on `input` (native on a fresh thread with a 4 GiB stack) and returns the
/// growth of the peak resident set in bytes.
fn peak_growth<I: Send + Sync + ?Sized + 'static, R: 'static>(
    variant: &Variant<I, R>,
    input: &Arc<I>,
) -> u64 {
    // "5" resets the peak resident set to the current one (Linux >= 4.0).
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let before = if reset { status_kib("VmRSS:") } else { status_kib("VmHWM:") }.expect("/proc/self/status");
    let run = variant.run;
    if variant.name == "native" {
        let input = input.clone();
        std::thread::Builder::new()
            .stack_size(BIG_STACK)
            .spawn(move || {
                std::hint::black_box(run(&input));
            })
            .expect("cannot spawn the big-stack thread")
            .join()
            .expect("native run panicked");
    } else {
        std::hint::black_box(run(input));
    }
    let after = status_kib("VmHWM:").expect("/proc/self/status");
    after.saturating_sub(before) * 1024
}

/// Steps `runner` to the end, a few thousand steps at a time, and returns the most heap stack
/// bytes it held and its peak depth in frames.
pub fn peak_stack<F: Fiber>(mut runner: Runner<F>) -> (usize, usize) {
    let mut most = runner.stack_bytes();
    while runner.resume(4096).is_pending() {
        most = most.max(runner.stack_bytes());
    }
    (most, runner.peak_depth())
}

fn measure<I: Send + Sync + ?Sized + 'static, R: 'static>(
    workload: &str,
    variant: &str,
    levels: usize,
    input: &Arc<I>,
    variants: &[Variant<I, R>],
    fiber_stack: fn(&I) -> (usize, usize),
) {
    let v = variants.iter().find(|v| v.name == variant).unwrap_or_else(|| panic!("no variant {variant}"));
    let growth = peak_growth(v, input);
    let mut line = format!(
        "workload={workload} variant={variant} levels={levels} rss_growth={growth} rss_per_level={:.2}",
        growth as f64 / levels as f64
    );
    if variant == "fiber" {
        let (bytes, frames) = fiber_stack(input);
        line += &format!(
            " heap_stack={bytes} frames={frames} heap_per_level={:.2} heap_per_frame={:.2}",
            bytes as f64 / levels as f64,
            bytes as f64 / frames as f64
        );
    }
    println!("{line}");
}

/// `args`: the workload (`C`, `D` or `E`) and the variant's name.
pub fn main(args: &[String]) {
    let (workload, variant) = (args[0].as_str(), args[1].as_str());
    match workload {
        "C" => measure(
            "C",
            variant,
            c_linear::DEPTH,
            &c_linear::input(),
            &c_linear::variants(),
            c_linear::fiber_stack,
        ),
        "D" => measure(
            "D",
            variant,
            d_tree::DEPTH,
            &Arc::new(d_tree::chain(d_tree::DEPTH)),
            &d_tree::variants(),
            d_tree::fiber_stack,
        ),
        "E" => measure(
            "E",
            variant,
            e_parser::DEEP,
            &e_parser::input(e_parser::DEEP),
            &e_parser::variants(),
            e_parser::fiber_stack,
        ),
        other => panic!("unknown workload {other}: C, D or E"),
    }
}
