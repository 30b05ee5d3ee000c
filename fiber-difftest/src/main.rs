//! `cargo run --release -p fiber-difftest -- --programs N --seed S`: generates N programs,
//! builds each natively and as a fiber in one generated crate, runs both on several inputs,
//! and reports every difference. The last line is `N programs, M mismatches`.

use fiber_difftest::generator::{Features, Program};
use fiber_difftest::harness::{Case, CompileError, Harness, Side, Verdict, pretty};
use fiber_difftest::reduce::{Failure, reduce};
use fiber_difftest::rng::program_seed;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: fiber-difftest [options]
  --programs N        how many programs to generate (default 100)
  --seed S            the run's seed; program K's seed derives from S and K (default 0)
  --only K            only program K of the run (to reproduce a finding)
  --program-seed X    only the program with this seed (decimal or 0x..)
  --batch B           programs per compile of the generated crate (default 300)
  --features LIST     switch forms off or on, comma-separated: -drops, -panics,
                      -swap-refs, -shadow, -mut-acc, -mutual (`#[fiber] mod` groups),
                      -methods (`#[fiber] impl` methods) (all on by default)
  --opt L             opt-level of the generated crate (default 1)
  --timeout SECS      a case that runs longer counts as a hang (default 20)
  --reduce N          minimize at most N findings, one per kind of failure (default 3)
  --reduce-secs S     time limit for minimizing one finding (default 300)
  --runtime DIR       the fiber-runtime crate to test (default: this workspace's)
  --dir DIR           where the generated crate goes (default: $CARGO_TARGET_DIR/difftest,
                      or target/difftest)
  --show              print the programs and exit
  --verbose           show cargo's output";

struct Options {
    programs: u64,
    seed: u64,
    only: Option<u64>,
    program_seed: Option<u64>,
    batch: usize,
    features: Features,
    opt: u32,
    timeout: u64,
    reduce: usize,
    reduce_secs: u64,
    runtime: PathBuf,
    dir: PathBuf,
    show: bool,
    verbose: bool,
}

fn parse_number(text: &str) -> Result<u64, String> {
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    parsed.map_err(|e| format!("`{text}`: {e}"))
}

fn parse_options() -> Result<Options, String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("target"));
    let mut o = Options {
        programs: 100,
        seed: 0,
        only: None,
        program_seed: None,
        batch: 300,
        features: Features::default(),
        opt: 1,
        timeout: 20,
        reduce: 3,
        reduce_secs: 300,
        runtime: Harness::default_runtime(),
        dir: target.join("difftest"),
        show: false,
        verbose: false,
    };
    // `--name=value` is `--name value`.
    let mut args = std::env::args().skip(1).flat_map(|arg| match arg.split_once('=') {
        Some((name, value)) if arg.starts_with("--") => vec![name.to_string(), value.to_string()],
        _ => vec![arg],
    });
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--programs" => o.programs = parse_number(&value()?)?,
            "--seed" => o.seed = parse_number(&value()?)?,
            "--only" => o.only = Some(parse_number(&value()?)?),
            "--program-seed" => o.program_seed = Some(parse_number(&value()?)?),
            "--batch" => o.batch = parse_number(&value()?)?.max(1) as usize,
            "--features" => o.features = Features::parse(&value()?)?,
            "--opt" => o.opt = parse_number(&value()?)? as u32,
            "--timeout" => o.timeout = parse_number(&value()?)?,
            "--reduce" => o.reduce = parse_number(&value()?)? as usize,
            "--reduce-secs" => o.reduce_secs = parse_number(&value()?)?,
            "--runtime" => o.runtime = PathBuf::from(value()?),
            "--dir" => o.dir = PathBuf::from(value()?),
            "--show" => o.show = true,
            "--verbose" => o.verbose = true,
            "--help" | "-h" => return Err(String::new()),
            _ => return Err(format!("unknown argument `{arg}`")),
        }
    }
    Ok(o)
}

/// The `#[fiber]` errors for forms it documents as unsupported (README, "Limits"; each has a ui
/// test): a program the fiber twin rejects with only these is a known limit, not a finding.
const DOCUMENTED_LIMITS: &[&str] = &[
    // tests/ui/shadowed_kept_binding.rs
    "whose value is kept across a recursive call in its scope: not supported yet",
    // tests/ui/traded_reference_params.rs
    "so reference parameters that trade places need one lifetime",
];

/// Whether every error is a documented `#[fiber]` limit.
fn documented_limit(errors: &[CompileError]) -> Option<&'static str> {
    let mut limit = None;
    for error in errors {
        let flat = error.message.split_whitespace().collect::<Vec<_>>().join(" ");
        limit = Some(*DOCUMENTED_LIMITS.iter().find(|l| flat.contains(*l))?);
    }
    limit
}

/// What a program did wrong.
#[derive(Clone, Debug)]
enum Finding {
    /// The fiber twin does not compile.
    Compile(Vec<CompileError>),
    Verdict(Verdict),
}

impl Finding {
    /// What a reduced program must keep.
    fn failure(&self) -> Failure {
        match self {
            Finding::Compile(errors) => Failure::Compile { headline: errors[0].headline.clone() },
            Finding::Verdict(Verdict::Hang) => Failure::Hang,
            Finding::Verdict(Verdict::Crash(_)) => Failure::Crash,
            Finding::Verdict(_) => Failure::Mismatch,
        }
    }
}

fn main() -> ExitCode {
    let o = match parse_options() {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let rerun_base = format!("cargo run --release -p fiber-difftest -- --seed {}", o.seed);
    let features = o.features;
    let cases: Vec<Case> = match (o.program_seed, o.only) {
        (Some(seed), _) => vec![Case::new(0, Program::generate(seed, features))],
        (None, Some(k)) => vec![Case::new(k as usize, Program::generate(program_seed(o.seed, k), features))],
        (None, None) => (0..o.programs)
            .map(|k| Case::new(k as usize, Program::generate(program_seed(o.seed, k), features)))
            .collect(),
    };
    if o.show {
        for case in &cases {
            println!(
                "// program {} (program seed {:#x}, branching {}, max fuel {})\n{}",
                case.id,
                case.program.seed,
                case.program.branching,
                case.program.max_fuel,
                pretty(&case.source())
            );
        }
        return ExitCode::SUCCESS;
    }
    if let Err(e) = std::fs::create_dir_all(&o.dir) {
        eprintln!("error: cannot create {}: {e}", o.dir.display());
        return ExitCode::FAILURE;
    }
    let harness = Harness {
        dir: o.dir.clone(),
        runtime: o.runtime.clone(),
        opt_level: o.opt,
        case_timeout: Duration::from_secs(o.timeout),
        verbose: o.verbose,
    };

    let started = Instant::now();
    let mut findings: BTreeMap<usize, Finding> = BTreeMap::new();
    let mut generator_bugs: BTreeMap<usize, String> = BTreeMap::new();
    let mut limits: BTreeMap<&str, usize> = BTreeMap::new();
    for batch in cases.chunks(o.batch) {
        let t = Instant::now();
        let Batch { exe, live, failed } = build_batch(&harness, batch);
        for (id, errors) in failed {
            if let Some(native) = errors.iter().find(|e| e.side == Side::Native) {
                generator_bugs.insert(id, format!("the native twin does not compile:\n{}", native.message));
            } else if let Some(limit) = documented_limit(&errors) {
                *limits.entry(limit).or_default() += 1;
            } else {
                findings.insert(id, Finding::Compile(errors));
            }
        }
        let built = t.elapsed();
        let Some(exe) = exe else { continue };
        let verdicts = harness.run(&exe, &live);
        for (id, verdict) in verdicts {
            match verdict {
                Verdict::Pass => {}
                Verdict::NativePanic { detail, .. } => {
                    generator_bugs.insert(id, format!("the native twin panicked:\n{detail}"));
                }
                v => {
                    findings.insert(id, Finding::Verdict(v));
                }
            }
        }
        eprintln!(
            "batch of {} programs: built in {:.1}s, ran in {:.1}s; {} findings so far",
            batch.len(),
            built.as_secs_f64(),
            (t.elapsed() - built).as_secs_f64(),
            findings.len()
        );
    }
    let elapsed = started.elapsed();

    let by_id: BTreeMap<usize, &Case> = cases.iter().map(|c| (c.id, c)).collect();
    let mut reduced_kinds = BTreeSet::new();
    for (&id, finding) in &findings {
        let case = by_id[&id];
        let rerun = match o.program_seed {
            Some(seed) => format!("cargo run --release -p fiber-difftest -- --program-seed {seed:#x}"),
            None => format!("{rerun_base} --only {id}"),
        };
        println!("\n=== program {id} (program seed {:#x}); reproduce: {rerun}", case.program.seed);
        match finding {
            Finding::Compile(errors) => {
                println!("the fiber twin does not compile:");
                for e in errors {
                    println!("{}", e.message);
                }
            }
            Finding::Verdict(Verdict::Mismatch { input, detail }) => {
                println!("MISMATCH on input {input}:\n{detail}")
            }
            Finding::Verdict(Verdict::Hang) => {
                println!("the fiber twin hangs (no output for {}s)", o.timeout)
            }
            Finding::Verdict(Verdict::Crash(why)) => println!("the driver crashed: {why}"),
            Finding::Verdict(v) => println!("{v:?}"),
        }
        println!("--- program:\n{}", pretty(&case.source()));
        let failure = finding.failure();
        let kind = match &failure {
            Failure::Compile { headline } => error_code(headline).to_string(),
            other => format!("{other:?}"),
        };
        if reduced_kinds.len() < o.reduce && reduced_kinds.insert(kind) {
            let mut target = case.clone();
            if let Finding::Verdict(Verdict::Mismatch { input, .. }) = finding {
                target.inputs = vec![case.inputs[*input].clone()];
            }
            let reduce_harness = Harness {
                dir: o.dir.join("reduce"),
                case_timeout: Duration::from_secs(o.timeout.min(5)),
                runtime: o.runtime.clone(),
                opt_level: o.opt,
                verbose: o.verbose,
            };
            let deadline = Instant::now() + Duration::from_secs(o.reduce_secs);
            let reduced =
                reduce(&reduce_harness, &target, &failure, deadline, &mut |m| eprintln!("program {id}: {m}"));
            println!(
                "--- minimized (inputs: {}):\n{}",
                reduced.inputs.iter().map(|i| i.describe()).collect::<Vec<_>>().join(", "),
                pretty(&reduced.source())
            );
        }
    }
    for (id, why) in &generator_bugs {
        println!("\n=== generator bug in program {id} (program seed {:#x}): {why}", by_id[id].program.seed);
        println!("--- program:\n{}", pretty(&by_id[id].source()));
    }
    println!(
        "\n{} programs ran in {:.1}s (seed {}); {} generator bugs",
        cases.len(),
        elapsed.as_secs_f64(),
        o.seed,
        generator_bugs.len()
    );
    for (limit, count) in &limits {
        println!("{count} programs rejected by a documented #[fiber] limit: \"..{limit}\"");
    }
    println!("{} programs, {} mismatches", cases.len(), findings.len());
    if findings.is_empty() && generator_bugs.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// `error[E0308]` of `error[E0308]: mismatched types`; the whole line if it has no code.
fn error_code(headline: &str) -> &str {
    match headline.find("]:") {
        Some(end) => &headline[..=end],
        None => headline,
    }
}

/// A built batch: the driver (if any case compiled), the cases it runs, and the compile errors
/// of the others.
struct Batch {
    exe: Option<PathBuf>,
    live: Vec<Case>,
    failed: BTreeMap<usize, Vec<CompileError>>,
}

/// Writes and builds `batch`; cases that do not compile are taken out (found by the file their
/// errors point at, or by halving the batch when an error points at no case) and the rest is
/// built again.
fn build_batch(harness: &Harness, batch: &[Case]) -> Batch {
    let mut live: Vec<Case> = batch.to_vec();
    let mut failed: BTreeMap<usize, Vec<CompileError>> = BTreeMap::new();
    while !live.is_empty() {
        harness.write(&live).expect("write the generated crate");
        match harness.build() {
            Ok(exe) => return Batch { exe: Some(exe), live, failed },
            Err(errors) if errors.by_case.is_empty() => {
                let message = errors.unattributed.join("\n");
                let culprits = bisect(harness, &live);
                if culprits.is_empty() {
                    eprintln!("error: the generated crate does not compile:\n{message}");
                    return Batch { exe: None, live: Vec::new(), failed };
                }
                let headline = message.lines().next().unwrap_or("").to_string();
                for id in culprits {
                    let error = CompileError {
                        side: Side::Fiber,
                        headline: headline.clone(),
                        message: message.clone(),
                    };
                    failed.insert(id, vec![error]);
                }
            }
            Err(errors) => failed.extend(errors.by_case),
        }
        live.retain(|c| !failed.contains_key(&c.id));
    }
    Batch { exe: None, live, failed }
}

/// The cases that, built alone or in halves, fail to compile.
fn bisect(harness: &Harness, cases: &[Case]) -> Vec<usize> {
    harness.write(cases).expect("write the generated crate");
    if harness.build().is_ok() {
        return Vec::new();
    }
    if cases.len() == 1 {
        return vec![cases[0].id];
    }
    let (left, right) = cases.split_at(cases.len() / 2);
    let mut culprits = bisect(harness, left);
    culprits.extend(bisect(harness, right));
    culprits
}
