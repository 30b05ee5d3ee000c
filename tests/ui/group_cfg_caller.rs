use fiber_runtime::fiber;

#[fiber]
mod walk {
    pub fn even(n: u64) -> bool {
        if n == 0 { true } else { odd(n - 1) }
    }

    #[cfg(any())]
    pub fn odd(n: u64) -> bool {
        if n == 0 { false } else { even(n - 1) }
    }
}

fn main() {}
