use fiber_runtime::fiber;

// Found by fiber-difftest: the inner `a` shadows the parameter `a`, which is kept across the
// call for the `a + x` after the block.
#[fiber]
fn shadow(n: u32, a: i64) -> i64 {
    if n == 0 {
        return a;
    }
    let x = {
        let a = 0;
        shadow(n - 1, a)
    };
    a + x
}

fn main() {}
