// Input of the expansion snapshot beside it (`outline.expanded.rs`), which
// `cargo test -p fiber-macros expansions` checks and `FIBER_BLESS=1` rewrites.

#[fiber]
mod outline {
    pub fn section(s: &Section, depth: usize, out: &mut String) {
        heading(&s.title, depth, out);
        for sub in &s.children {
            section(sub, depth + 1, out);
        }
    }

    fn heading(title: &str, depth: usize, out: &mut String) {
        out.push_str(&"#".repeat(depth + 1));
        out.push(' ');
        out.push_str(title);
        out.push('\n');
    }
}
