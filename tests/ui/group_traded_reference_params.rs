use fiber_runtime::fiber;

// Found by fiber-difftest (seed 4000, program 5): `h`'s `ys` receives `f`'s `xs` and its `ys`,
// so its one type would have to hold both lifetimes; the group's return types cannot name that.
#[fiber]
mod group {
    pub fn f(fuel: u32, xs: &[i64], ys: &[i64]) -> i64 {
        if fuel == 0 {
            return 0;
        }
        h(fuel / 2, xs, xs);
        h(fuel - 1, xs, ys)
    }

    pub fn h(fuel: u32, xs: &[i64], ys: &[i64]) -> i64 {
        if fuel == 0 { (xs.len() + ys.len()) as i64 } else { h(fuel - 1, xs, ys) }
    }
}

// The same in an impl, through method calls.
pub struct S;

#[fiber]
impl S {
    pub fn f(&self, fuel: u32, xs: &[i64], ys: &[i64]) -> i64 {
        if fuel == 0 {
            return 0;
        }
        self.h(fuel - 1, ys, xs)
    }

    pub fn h(&self, fuel: u32, xs: &[i64], ys: &[i64]) -> i64 {
        if fuel == 0 { (xs.len() + ys.len()) as i64 } else { self.f(fuel - 1, xs, ys) }
    }
}

// One method, calling itself with the slices swapped (difftest seed 4103).
pub struct T;

#[fiber]
impl T {
    pub fn g(&self, fuel: u32, xs: &[i64], ys: &[i64]) -> i64 {
        if fuel == 0 { (xs.len() + ys.len()) as i64 } else { self.g(fuel - 1, ys, &xs[1..]) }
    }
}

// Swapped between fns but never mixed: each parameter keeps one lifetime, which works.
#[fiber]
mod swapped {
    pub fn f(fuel: u32, xs: &[i64], ys: &[i64]) -> i64 {
        if fuel == 0 { 0 } else { h(fuel - 1, ys, xs) }
    }

    pub fn h(fuel: u32, xs: &[i64], ys: &[i64]) -> i64 {
        if fuel == 0 { (xs.len() + ys.len()) as i64 } else { h(fuel - 1, xs, ys) }
    }
}

// With one lifetime it works.
#[fiber]
mod named {
    pub fn f<'a>(fuel: u32, xs: &'a [i64], ys: &'a [i64]) -> i64 {
        if fuel == 0 {
            return 0;
        }
        h(fuel / 2, xs, xs);
        h(fuel - 1, xs, ys)
    }

    pub fn h<'a>(fuel: u32, xs: &'a [i64], ys: &'a [i64]) -> i64 {
        if fuel == 0 { (xs.len() + ys.len()) as i64 } else { h(fuel - 1, xs, ys) }
    }
}

fn main() {}
