//! Drop order in an edition-2021 crate: locals that nothing reads after a call drop at the end
//! of their scope, in reverse order of declaration, as native code in this edition drops them.

use fiber_edition2021::{log, logged, twins};
use fiber_runtime::run;

/// Logs its drop.
pub struct Loud(pub u64);

impl Drop for Loud {
    fn drop(&mut self) {
        log("drop", self.0);
    }
}

fn see(d: &Loud) -> u64 {
    d.0
}

twins! {
    /// Locals before and after a call whose value is the fn's tail expression.
    pub fn tail_value(n: u64) -> u64 {
        let _a = Loud(n * 10);
        if n == 0 {
            return 0;
        }
        let b = Loud(n * 10 + 1);
        log("b", see(&b));
        tail_value(n - 1) + 1
    }

    /// A tail call with a local in scope, and a loop body's local.
    pub fn tail_call(n: u64, acc: u64) -> u64 {
        let d = Loud(n);
        for i in 0..2 {
            let c = Loud(100 * n + i);
            see(&c);
            if n > 0 && i == 1 {
                log("inner", tail_call(n - 1, 0));
            }
        }
        see(&d);
        if n == 0 {
            return acc;
        }
        tail_call(n - 1, acc + 1)
    }
}

#[test]
fn locals_drop_as_in_native_2021() {
    for n in 0..4 {
        assert_eq!(logged(|| run(fiber::tail_value(n))), logged(|| native::tail_value(n)));
        assert_eq!(logged(|| run(fiber::tail_call(n, 0))), logged(|| native::tail_call(n, 0)));
    }
}
