use fiber_runtime::fiber;

pub struct Tree {
    values: Vec<i64>,
    children: Vec<Tree>,
}

#[fiber]
impl Tree {
    pub fn sum(&self) -> i64 {
        let own: i64 = self.values.iter().sum();
        let mut total = own;
        for child in &self.children {
            total += child.sum();
        }
        total
    }
}

fn main() {}
