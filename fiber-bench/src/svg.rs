//! The report as a chart, written by hand: per workload, one bar per variant for its median
//! time over the reference's (log scale, a whisker from the fastest to the slowest sample), then
//! bytes per level, then the compile cost.

use std::fmt::Write as _;

use crate::{Data, VARIANTS};

const WIDTH: f64 = 960.0;
const LEFT: f64 = 250.0;
const RIGHT: f64 = 80.0;
const BAR: f64 = 14.0;
/// The log scale: 0.1x to 1000x.
const LOW: f64 = 0.1;
const HIGH: f64 = 1000.0;

fn color(variant: &str) -> &'static str {
    match variant {
        "for_loop" => "#7f7f7f",
        "native" => "#4c4c4c",
        "explicit" => "#1f77b4",
        "fiber" => "#d62728",
        "recursive" => "#2ca02c",
        "stacker" => "#9467bd",
        "reblessive" => "#ff7f0e",
        _ => "#8c564b",
    }
}

fn x_log(ratio: f64) -> f64 {
    let ratio = ratio.clamp(LOW, HIGH);
    LEFT + (ratio / LOW).log10() / (HIGH / LOW).log10() * (WIDTH - LEFT - RIGHT)
}

fn text(s: &mut String, x: f64, y: f64, anchor: &str, size: u32, weight: &str, body: &str) {
    let _ = writeln!(
        s,
        r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" font-size="{size}" font-weight="{weight}">{body}</text>"#
    );
}

pub fn chart(data: &Data) -> String {
    let mut body = String::new();
    let mut y = 30.0;
    text(
        &mut body,
        10.0,
        y,
        "start",
        16,
        "bold",
        "fiber: time per workload over native (log scale; whisker: fastest to slowest sample)",
    );
    y += 22.0;
    let axis_top = y;
    for (group, rows) in &data.groups {
        let Some(base) = data.timing(group.id, group.baseline) else { continue };
        y += 16.0;
        text(&mut body, 10.0, y, "start", 13, "bold", group.label);
        y += 4.0;
        for row in rows {
            let t = row.timing;
            let (r, lo, hi) = (t.median / base.median, t.min / base.median, t.max / base.median);
            text(&mut body, LEFT - 8.0, y + BAR - 3.0, "end", 12, "normal", row.variant);
            let _ = writeln!(
                body,
                r#"<rect x="{LEFT}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{}"/>"#,
                (x_log(r) - LEFT).max(1.0),
                BAR - 3.0,
                color(row.variant)
            );
            let mid = y + (BAR - 3.0) / 2.0;
            let _ = writeln!(
                body,
                r#"<line x1="{:.1}" y1="{mid:.1}" x2="{:.1}" y2="{mid:.1}" stroke="black" stroke-width="1"/>"#,
                x_log(lo),
                x_log(hi)
            );
            text(
                &mut body,
                x_log(hi.max(r)) + 4.0,
                y + BAR - 3.0,
                "start",
                11,
                "normal",
                &format!("{r:.2}x"),
            );
            y += BAR;
        }
    }
    // The scale.
    let mut grid = String::new();
    for tick in [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0, 1000.0] {
        let x = x_log(tick);
        let (stroke, w) = if tick == 1.0 { ("black", 1.5) } else { ("#cccccc", 1.0) };
        let _ = writeln!(
            grid,
            r#"<line x1="{x:.1}" y1="{axis_top:.1}" x2="{x:.1}" y2="{:.1}" stroke="{stroke}" stroke-width="{w}"/>"#,
            y + 4.0
        );
        text(&mut grid, x, y + 18.0, "middle", 11, "normal", &format!("{tick}x"));
    }
    y += 40.0;

    // Bytes per level.
    text(&mut body, 10.0, y, "start", 16, "bold", "bytes per level (peak RSS growth / depth)");
    y += 8.0;
    let most = data
        .groups
        .iter()
        .flat_map(|(_, rows)| rows.iter().filter_map(|r| r.memory.map(|m| m.rss_per_level)))
        .fold(1.0, f64::max);
    let scale = (WIDTH - LEFT - RIGHT) / most;
    for (group, rows) in &data.groups {
        if !rows.iter().any(|r| r.memory.is_some()) {
            continue;
        }
        y += 16.0;
        text(&mut body, 10.0, y, "start", 13, "bold", group.label);
        y += 4.0;
        for row in rows {
            let Some(m) = row.memory else { continue };
            text(&mut body, LEFT - 8.0, y + BAR - 3.0, "end", 12, "normal", row.variant);
            let w = (m.rss_per_level * scale).max(1.0);
            let _ = writeln!(
                body,
                r#"<rect x="{LEFT}" y="{y:.1}" width="{w:.1}" height="{:.1}" fill="{}"/>"#,
                BAR - 3.0,
                color(row.variant)
            );
            text(
                &mut body,
                LEFT + w + 4.0,
                y + BAR - 3.0,
                "start",
                11,
                "normal",
                &format!("{:.1} B", m.rss_per_level),
            );
            y += BAR;
        }
    }

    // Compile cost.
    if let Some(c) = &data.compile {
        y += 30.0;
        text(
            &mut body,
            10.0,
            y,
            "start",
            16,
            "bold",
            "F: cargo build --release of a crate of 50 fns (seconds)",
        );
        y += 8.0;
        let most = c.build.0.as_secs_f64().max(c.build.1.as_secs_f64());
        let scale = (WIDTH - LEFT - RIGHT) / most;
        for (name, secs, col) in [
            ("native", c.build.0.as_secs_f64(), color("native")),
            ("fiber", c.build.1.as_secs_f64(), color("fiber")),
        ] {
            y += 4.0;
            text(&mut body, LEFT - 8.0, y + BAR - 3.0, "end", 12, "normal", name);
            let w = secs * scale;
            let _ = writeln!(
                body,
                r#"<rect x="{LEFT}" y="{y:.1}" width="{w:.1}" height="{:.1}" fill="{col}"/>"#,
                BAR - 3.0
            );
            text(&mut body, LEFT + w + 4.0, y + BAR - 3.0, "start", 11, "normal", &format!("{secs:.2} s"));
            y += BAR;
        }
    }
    y += 20.0;

    // Legend.
    let mut legend = String::new();
    let mut x = 10.0;
    for v in VARIANTS {
        let _ = writeln!(
            legend,
            r#"<rect x="{x:.1}" y="{:.1}" width="12" height="12" fill="{}"/>"#,
            y - 10.0,
            color(v)
        );
        text(&mut legend, x + 16.0, y, "start", 12, "normal", v);
        x += 30.0 + 7.5 * v.len() as f64;
    }
    y += 16.0;

    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{y:.0}\" viewBox=\"0 0 {WIDTH} {y:.0}\" \
         font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{grid}{body}{legend}</svg>\n"
    )
}
