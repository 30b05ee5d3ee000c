//! The benchmark suite: each workload with native recursion, an expert's hand-written
//! explicit stack, `#[fiber]` and the peer crates side by side, one criterion group per workload.
//!
//! ```sh
//! cargo run --release -p fiber-bench                   # suite, memory, compile cost, ratio report
//! cargo bench -p fiber-bench --bench suite             # the timings alone
//! cargo bench -p fiber-bench --bench suite -- C_linear # one group
//! ```
//!
//! Native recursion runs on a thread with a 4 GiB stack (kept for the whole run, so its pages are
//! touched once, as in a long-running program); every other variant runs on the main thread
//! (8 MiB), as users would run it. The binary also measures bytes per level, one workload and
//! variant per process: `suite --fiber-memory C fiber` (what `fiber-bench` runs).

mod a_fib;
mod b_sum;
mod c_linear;
mod d_held;
mod d_tree;
mod e_parser;
mod memory;

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use criterion::{BenchmarkGroup, Criterion, SamplingMode, measurement::WallTime};

/// Stack size of the thread that runs native recursion.
pub const BIG_STACK: usize = 4 << 30;

type Job = Box<dyn FnOnce() + Send>;

/// A thread with a 4 GiB stack that runs jobs for the main thread.
pub struct BigStack {
    jobs: mpsc::Sender<Job>,
}

impl BigStack {
    pub fn spawn() -> Self {
        let (jobs, inbox) = mpsc::channel::<Job>();
        thread::Builder::new()
            .name("native-4GiB".into())
            .stack_size(BIG_STACK)
            .spawn(move || {
                for job in inbox {
                    job();
                }
            })
            .expect("cannot spawn the big-stack thread");
        BigStack { jobs }
    }

    /// Runs `f` on the big stack and waits for its value.
    pub fn run<R: Send + 'static>(&self, f: impl FnOnce() -> R + Send + 'static) -> R {
        let (tx, rx) = mpsc::sync_channel(1);
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        self.jobs.send(job).expect("the big-stack thread is gone");
        rx.recv().expect("a job panicked on the big-stack thread")
    }

    /// `iters` runs of `f(input)` on the big stack, timed there (the hand-over is not timed).
    pub fn time<I, R>(&self, input: &std::sync::Arc<I>, f: fn(&I) -> R, iters: u64) -> Duration
    where
        I: Send + Sync + ?Sized + 'static,
        R: 'static,
    {
        let input = input.clone();
        self.run(move || {
            let start = Instant::now();
            for _ in 0..iters {
                std::hint::black_box(f(std::hint::black_box(&*input)));
            }
            start.elapsed()
        })
    }
}

/// One variant of a workload: its name in the report and the fn that runs it.
pub struct Variant<I: ?Sized, R> {
    pub name: &'static str,
    pub run: fn(&I) -> R,
}

/// Benchmarks every variant of one workload in one group. The variant named `native` runs on
/// the big stack.
pub fn bench_group<I, R>(
    c: &mut Criterion,
    big: &BigStack,
    name: &str,
    config: impl FnOnce(&mut BenchmarkGroup<'_, WallTime>),
    input: &std::sync::Arc<I>,
    variants: &[Variant<I, R>],
) where
    I: Send + Sync + ?Sized + 'static,
    R: 'static,
{
    let mut group = c.benchmark_group(name);
    config(&mut group);
    for variant in variants {
        let run = variant.run;
        if variant.name == "native" {
            group.bench_function(variant.name, |b| b.iter_custom(|iters| big.time(input, run, iters)));
        } else {
            group.bench_function(variant.name, |b| {
                b.iter(|| run(std::hint::black_box(&**input)));
            });
        }
    }
    group.finish();
}

/// Settings for workloads whose one run takes milliseconds to a second: few samples, one
/// iteration each.
pub fn deep(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
}

/// Checks that every variant computes what native recursion computes (on the big stack).
pub fn check_all<I, R>(big: &BigStack, what: &str, input: &std::sync::Arc<I>, variants: &[Variant<I, R>])
where
    I: Send + Sync + ?Sized + 'static,
    R: PartialEq + std::fmt::Debug + Send + 'static,
{
    let native = variants.iter().find(|v| v.name == "native").expect("a native variant").run;
    let shared = input.clone();
    let expected = big.run(move || native(&shared));
    for variant in variants {
        assert_eq!((variant.run)(input), expected, "{what}: {} differs from native", variant.name);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--fiber-memory") {
        memory::main(&args[2..]);
        return;
    }
    let big = BigStack::spawn();
    let mut c = Criterion::default().configure_from_args();
    a_fib::bench(&mut c, &big);
    b_sum::bench(&mut c, &big);
    c_linear::bench(&mut c, &big);
    d_tree::bench(&mut c, &big);
    d_held::bench(&mut c, &big);
    e_parser::bench(&mut c, &big);
    c.final_summary();
}
