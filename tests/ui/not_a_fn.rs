use fiber_runtime::fiber;

#[fiber]
struct S;

fn main() {}
