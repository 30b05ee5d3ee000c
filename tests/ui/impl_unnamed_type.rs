use fiber_runtime::fiber;

trait Shape {
    fn size(&self) -> u64;
}

#[fiber]
impl dyn Shape {
    fn walk(&self, n: u64) -> u64 {
        if n == 0 { self.size() } else { self.walk(n - 1) }
    }
}

fn main() {}
