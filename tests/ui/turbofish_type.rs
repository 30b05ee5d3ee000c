use fiber_runtime::fiber;

pub struct Node<T> {
    pub value: Option<T>,
    pub next: Option<Box<Node<i8>>>,
}

#[fiber]
impl<T: Default> Node<T> {
    pub fn build(n: u32) -> Node<T> {
        if n == 0 {
            return Node { value: None, next: None };
        }
        let next = Node::<i8>::build(n - 1);
        Node { value: Some(T::default()), next: Some(Box::new(next)) }
    }
}

fn main() {}
