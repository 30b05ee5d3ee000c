use fiber_runtime::fiber;

// A recursive call at another instantiation of the fn's generics: the machine runs at one
// instantiation, so the argument must have the declared parameter type.
#[fiber]
pub fn nest<T: std::fmt::Debug>(x: T, n: u64) -> String {
    if n == 0 { format!("{x:?}") } else { nest((x,), n - 1) }
}

fn main() {}
