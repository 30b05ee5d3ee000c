//! The ratio report: runs this package's benchmark suite (`fiber-bench/benches/suite`),
//! measures bytes per level and the compile cost, and prints one table of medians, spreads and
//! ratios to native and to the explicit stack; writes the same data to `fiber-bench/report.md`
//! and as a chart to `fiber-bench/report.svg`.
//!
//! ```sh
//! cargo run --release -p fiber-bench                 # everything (about 15 minutes on 2 cores)
//! cargo run --release -p fiber-bench -- --no-suite   # report from the last criterion run
//! ```
//!
//! Flags: `--no-suite` (read `target/criterion` as it is), `--no-memory`, `--no-compile`.

mod compile;
mod svg;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One criterion group: its directory, its label, the variant the ratios divide by, and the
/// memory workload whose bytes per level go with it.
pub struct Group {
    pub id: &'static str,
    pub label: &'static str,
    pub baseline: &'static str,
    pub memory: Option<&'static str>,
}

pub const GROUPS: [Group; 6] = [
    Group { id: "A_fib32", label: "A fib(32)", baseline: "native", memory: None },
    Group { id: "B_tail_sum", label: "B tail sum, 100k (x for loop)", baseline: "for_loop", memory: None },
    Group { id: "C_linear_10M", label: "C linear, 10M deep", baseline: "native", memory: Some("C") },
    Group { id: "D_tree_1M", label: "D tree, 1M deep", baseline: "native", memory: Some("D") },
    Group { id: "E_parser_10k", label: "E parser, 10k deep", baseline: "native", memory: None },
    Group { id: "E_parser_1M", label: "E parser, 1M deep", baseline: "native", memory: Some("E") },
];

pub const VARIANTS: [&str; 8] =
    ["for_loop", "native", "explicit", "fiber", "recursive", "stacker", "reblessive", "tailcall"];

/// Timing of one variant, in nanoseconds per run.
#[derive(Clone, Copy)]
pub struct Timing {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

/// Bytes per level of one variant (peak RSS growth / depth), and for the fiber the heap stack's
/// own bytes per level.
#[derive(Clone, Copy, Default)]
pub struct Memory {
    pub rss_per_level: f64,
    pub heap_per_level: Option<f64>,
    pub heap_per_frame: Option<f64>,
}

pub struct Row {
    pub variant: &'static str,
    pub timing: Timing,
    pub memory: Option<Memory>,
}

pub struct Data {
    pub groups: Vec<(&'static Group, Vec<Row>)>,
    pub compile: Option<compile::Compile>,
}

impl Data {
    pub fn timing(&self, group: &str, variant: &str) -> Option<Timing> {
        let (_, rows) = self.groups.iter().find(|(g, _)| g.id == group)?;
        rows.iter().find(|r| r.variant == variant).map(|r| r.timing)
    }

    pub fn memory(&self, group: &str, variant: &str) -> Option<Memory> {
        let (_, rows) = self.groups.iter().find(|(g, _)| g.id == group)?;
        rows.iter().find(|r| r.variant == variant)?.memory
    }
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"))
}

/// A number after `"key":` in a small JSON text, the first after `after`.
fn json_number(text: &str, after: &str, key: &str) -> Option<f64> {
    let start = text.find(after)? + after.len();
    let rest = &text[start..];
    let at = rest.find(&format!("\"{key}\":"))? + key.len() + 3;
    let end = rest[at..].find([',', '}'])?;
    rest[at..at + end].trim().parse().ok()
}

fn json_array(text: &str, key: &str) -> Option<Vec<f64>> {
    let start = text.find(&format!("\"{key}\":["))? + key.len() + 4;
    let end = text[start..].find(']')?;
    text[start..start + end].split(',').map(|x| x.trim().parse().ok()).collect()
}

/// Median from criterion's `estimates.json`; min and max per iteration from `sample.json`.
fn read_timing(criterion: &Path, group: &str, variant: &str) -> Option<Timing> {
    let dir = criterion.join(group).join(variant).join("new");
    let estimates = std::fs::read_to_string(dir.join("estimates.json")).ok()?;
    let median = json_number(&estimates, "\"median\":", "point_estimate")?;
    let sample = std::fs::read_to_string(dir.join("sample.json")).ok()?;
    let (iters, times) = (json_array(&sample, "iters")?, json_array(&sample, "times")?);
    let per_iter: Vec<f64> = iters.iter().zip(&times).map(|(i, t)| t / i).collect();
    let min = per_iter.iter().copied().fold(f64::INFINITY, f64::min);
    let max = per_iter.iter().copied().fold(0.0, f64::max);
    Some(Timing { median, min, max })
}

/// The suite's executable, built if needed.
fn suite_executable(root: &Path) -> PathBuf {
    let output = cargo()
        .current_dir(root)
        .args(["bench", "-p", "fiber-bench", "--bench", "suite", "--no-run", "--message-format=json"])
        .output()
        .expect("cannot run cargo");
    assert!(
        output.status.success(),
        "cargo bench --no-run failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if message["reason"] == "compiler-artifact" && message["target"]["name"] == "suite" {
            if let Some(exe) = message["executable"].as_str() {
                return PathBuf::from(exe);
            }
        }
    }
    panic!("cargo did not name the suite's executable");
}

/// Runs `suite --fiber-memory WORKLOAD VARIANT` in a child process and reads its line.
fn measure_memory(exe: &Path, workload: &str, variant: &str) -> Option<Memory> {
    let output = Command::new(exe).args(["--fiber-memory", workload, variant]).output().ok()?;
    if !output.status.success() {
        eprintln!(
            "fiber-bench: memory {workload} {variant} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        return None;
    }
    let line = String::from_utf8_lossy(&output.stdout).into_owned();
    eprintln!("fiber-bench: {}", line.trim());
    let field = |key: &str| {
        line.split_whitespace().find_map(|kv| kv.strip_prefix(key)?.strip_prefix('=')?.parse::<f64>().ok())
    };
    Some(Memory {
        rss_per_level: field("rss_per_level")?,
        heap_per_level: field("heap_per_level"),
        heap_per_frame: field("heap_per_frame"),
    })
}

fn ns(t: f64) -> String {
    if t >= 1e9 {
        format!("{:.2} s", t / 1e9)
    } else if t >= 1e6 {
        format!("{:.2} ms", t / 1e6)
    } else if t >= 1e3 {
        format!("{:.1} µs", t / 1e3)
    } else {
        format!("{t:.0} ns")
    }
}

/// `ratio (min-max)`: the variant's median over the reference's median, and its fastest and
/// slowest sample over the same reference median.
fn ratio(t: Timing, reference: Option<Timing>) -> String {
    match reference {
        Some(r) => format!("{:.2} ({:.2}-{:.2})", t.median / r.median, t.min / r.median, t.max / r.median),
        None => "-".into(),
    }
}

fn table(data: &Data) -> String {
    let mut s = String::new();
    s +=
        "| workload | variant | median | min-max | x native (spread) | x explicit (spread) | bytes/level |\n";
    s += "|---|---|---:|---:|---:|---:|---:|\n";
    for (group, rows) in &data.groups {
        let base = data.timing(group.id, group.baseline);
        let explicit = data.timing(group.id, "explicit");
        for row in rows {
            let t = row.timing;
            let bytes = match row.memory {
                Some(m) => match m.heap_per_level {
                    Some(h) => format!("{:.1} (heap stack {h:.1})", m.rss_per_level),
                    None => format!("{:.1}", m.rss_per_level),
                },
                None => String::new(),
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {}-{} | {} | {} | {} |",
                group.label,
                row.variant,
                ns(t.median),
                ns(t.min),
                ns(t.max),
                ratio(t, base),
                ratio(t, explicit),
                bytes
            );
        }
    }
    if let Some(c) = &data.compile {
        let _ = writeln!(
            s,
            "\nF. compile cost, {} fns: `cargo build --release` of the crate alone {:.2} s native, {:.2} s fiber \
             ({:.2}x); `cargo check` {:.2} s native, {:.2} s fiber ({:.2}x).",
            compile::FNS,
            c.build.0.as_secs_f64(),
            c.build.1.as_secs_f64(),
            c.build.1.as_secs_f64() / c.build.0.as_secs_f64(),
            c.check.0.as_secs_f64(),
            c.check.1.as_secs_f64(),
            c.check.1.as_secs_f64() / c.check.0.as_secs_f64(),
        );
        match c.expand {
            Some((native, fiber)) => {
                let _ = writeln!(
                    s,
                    "Macro expansion (rustc -Z time-passes, macro_expand_crate, nightly): {:.1} ms native, \
                     {:.1} ms fiber: {:.2} ms per #[fiber] fn.",
                    native.as_secs_f64() * 1e3,
                    fiber.as_secs_f64() * 1e3,
                    (fiber.as_secs_f64() - native.as_secs_f64()) * 1e3 / compile::FNS as f64
                );
            }
            None => s += "Macro expansion: not measured (no nightly toolchain for -Z time-passes).\n",
        }
    }
    s
}

/// The issue's targets, each with its measured value.
fn targets(data: &Data) -> String {
    let mut s = String::from("\n| target | measured | met |\n|---|---:|---|\n");
    let r = |g: &str, a: &str, b: &str| Some(data.timing(g, a)?.median / data.timing(g, b)?.median);
    let mut line = |name: &str, value: Option<f64>, ok: fn(f64) -> bool, unit: &str| {
        let (shown, met) = match value {
            Some(v) => (format!("{v:.2}{unit}"), if ok(v) { "yes" } else { "**no**" }),
            None => ("-".into(), "not measured"),
        };
        let _ = writeln!(s, "| {name} | {shown} | {met} |");
    };
    line("A: fiber <= 2.0x native", r("A_fib32", "fiber", "native"), |v| v <= 2.0, "x");
    line("A: fiber <= 0.75x explicit stack", r("A_fib32", "fiber", "explicit"), |v| v <= 0.75, "x");
    line("A: recursive >= 1.5x fiber", r("A_fib32", "recursive", "fiber"), |v| v >= 1.5, "x");
    line("A: reblessive >= 25x fiber", r("A_fib32", "reblessive", "fiber"), |v| v >= 25.0, "x");
    line("B: fiber <= 1.05x for loop", r("B_tail_sum", "fiber", "for_loop"), |v| v <= 1.05, "x");
    line("C: fiber <= 0.85x native", r("C_linear_10M", "fiber", "native"), |v| v <= 0.85, "x");
    let bytes = |g: &str| data.memory(g, "fiber").map(|m| m.rss_per_level);
    line("C: fiber <= 24 bytes/level", bytes("C_linear_10M"), |v| v <= 24.5, " B");
    line("D: fiber <= 0.6x native", r("D_tree_1M", "fiber", "native"), |v| v <= 0.6, "x");
    line("D: fiber <= 24 bytes/level", bytes("D_tree_1M"), |v| v <= 24.5, " B");
    line("E: fiber <= 2.0x native, 10k deep", r("E_parser_10k", "fiber", "native"), |v| v <= 2.0, "x");
    line("E: fiber <= 2.0x native, 1M deep", r("E_parser_1M", "fiber", "native"), |v| v <= 2.0, "x");
    let build = data.compile.as_ref().map(|c| c.build.1.as_secs_f64() / c.build.0.as_secs_f64());
    line("F: fiber crate build <= 2x native", build, |v| v <= 2.0, "x");
    s
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf();
    if !flag("--no-suite") {
        let status = cargo()
            .current_dir(&root)
            .args(["bench", "-p", "fiber-bench", "--bench", "suite"])
            .status()
            .expect("cannot run cargo bench");
        assert!(status.success(), "cargo bench --bench suite failed");
    }
    let memory: Vec<(String, &str, Memory)> = if flag("--no-memory") {
        Vec::new()
    } else {
        let exe = suite_executable(&root);
        let mut all = Vec::new();
        for workload in ["C", "D", "E"] {
            for variant in ["native", "explicit", "fiber", "recursive", "stacker", "reblessive"] {
                if let Some(m) = measure_memory(&exe, workload, variant) {
                    all.push((workload.to_string(), variant, m));
                }
            }
        }
        all
    };
    let compile = (!flag("--no-compile")).then(|| compile::measure(&root));
    let criterion = target_dir(&root).join("criterion");
    let groups = GROUPS
        .iter()
        .map(|group| {
            let rows = VARIANTS
                .iter()
                .filter_map(|&variant| {
                    let timing = read_timing(&criterion, group.id, variant)?;
                    let memory = group.memory.and_then(|w| {
                        memory.iter().find(|(mw, mv, _)| mw == w && *mv == variant).map(|(_, _, m)| *m)
                    });
                    Some(Row { variant, timing, memory })
                })
                .collect();
            (group, rows)
        })
        .collect();
    let data = Data { groups, compile };
    let report = format!(
        "Ratios are medians over the reference's median; the spread in parentheses is the fastest and \
         slowest sample over the same median. Bytes per level: peak RSS growth / depth (the fiber's \
         heap stack alone, from `Runner::stack_bytes`, in parentheses).\n\n{}{}",
        table(&data),
        targets(&data)
    );
    println!("\n{report}");
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::write(here.join("report.md"), &report).expect("cannot write fiber-bench/report.md");
    std::fs::write(here.join("report.svg"), svg::chart(&data)).expect("cannot write fiber-bench/report.svg");
    eprintln!("fiber-bench: wrote fiber-bench/report.md and fiber-bench/report.svg");
}
