use fiber_runtime::fiber;

// Known macros (`println!`, `format!`, `write!`, `assert!`, `assert_eq!`, `vec!`, `matches!`, ..)
// may hold recursive calls; any other macro's tokens are opaque to `#[fiber]`.
#[allow(unused_macros)]
macro_rules! larger {
    ($a:expr, $b:expr) => {
        if $a > $b { $a } else { $b }
    };
}

#[fiber]
fn f(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    larger!(f(n - 1), n)
}

fn main() {}
