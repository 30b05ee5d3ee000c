use fiber_runtime::fiber;

pub struct Chain(Option<Box<Chain>>);

#[fiber]
impl Chain {
    pub fn len(&self) -> usize {
        match &self.0 {
            Some(next) => {
                let _ = dbg!(next.len());
                1
            }
            None => 0,
        }
    }
}

fn main() {}
