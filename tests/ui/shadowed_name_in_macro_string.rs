use fiber_runtime::fiber;

// A macro the attribute does not know may or may not read its string as a format string: `n`
// is shadowed and kept across the call, so #[fiber] renames it, and cannot know whether
// `"{n}"` names it.
#[allow(unused_macros)]
macro_rules! label {
    ($s:literal) => {
        String::from($s)
    };
}

#[fiber]
fn show(n: u64) -> String {
    if n == 0 {
        return String::new();
    }
    let n = n - 1;
    let rest = show(n);
    rest + &label!("{n}")
}

fn main() {}
