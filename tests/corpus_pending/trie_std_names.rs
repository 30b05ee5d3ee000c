//! PENDING (documented limit): a trie as a `#[fiber] impl` with the method names a set type
//! usually has (`insert`, `contains`, `remove`, `len`). `remove` also calls
//! `self.children.remove(c)` on its `BTreeMap`, which the macro takes for a recursive call.
//! (`self.children.entry(c).or_default().insert(rest)` in `insert` is fine: it is a `Trie`.)
//!
//! Errors:
//!
//! ```text
//! error[E0308]: mismatched types
//!   --> tests/corpus/trie_std_names.rs:45:50
//! 45 |                             self.children.remove(c);
//!    |                                                  ^ expected `&[char]`, found `&char`
//! error[E0277]: this call has the name and argument count of a method of the `#[fiber]` impl, but its receiver is a `std::collections::BTreeMap<char, fiber::Trie>`, not a `fiber::Trie`
//!   --> tests/corpus/trie_std_names.rs:45:43
//! error[E0599]: no method named `__fiber_shadow_remove` found for struct `std::collections::BTreeMap<K, V, A>` in the current scope
//! ```
//!
//! Reduced:
//!
//! ```rust,ignore
//! #[fiber]
//! impl Trie {
//!     pub fn remove(&mut self, word: &[char]) -> bool {
//!         let Some((c, rest)) = word.split_first() else { return false };
//!         let removed = self.children.get_mut(c).is_some_and(|_| true) && self.children[c].terminal;
//!         self.children.remove(c); // taken for `Trie::remove`
//!         removed
//!     }
//! }
//! ```

use std::collections::BTreeMap;

use fiber_runtime::run;

twins! {
    shared {
        #[derive(Default)]
        pub struct Trie {
            children: BTreeMap<char, Trie>,
            terminal: bool,
        }
    }

    impl Trie {
        pub fn insert(&mut self, word: &[char]) -> bool {
            match word.split_first() {
                None => !std::mem::replace(&mut self.terminal, true),
                Some((c, rest)) => self.children.entry(*c).or_default().insert(rest),
            }
        }

        pub fn contains(&self, word: &[char]) -> bool {
            match word.split_first() {
                None => self.terminal,
                Some((c, rest)) => match self.children.get(c) {
                    Some(child) => child.contains(rest),
                    None => false,
                },
            }
        }

        pub fn remove(&mut self, word: &[char]) -> bool {
            match word.split_first() {
                None => std::mem::replace(&mut self.terminal, false),
                Some((c, rest)) => match self.children.get_mut(c) {
                    Some(child) => {
                        let removed = child.remove(rest);
                        if child.children.is_empty() && !child.terminal {
                            self.children.remove(c);
                        }
                        removed
                    }
                    None => false,
                },
            }
        }

        pub fn len(&self) -> usize {
            let mut n = self.terminal as usize;
            for child in self.children.values() {
                n += child.len();
            }
            n
        }
    }
}

#[test]
fn trie_std_names_match_native() {
    let words: Vec<Vec<char>> = ["tea", "ten", "to", "in", "inn"].iter().map(|w| w.chars().collect()).collect();
    let mut a = native::Trie::default();
    let mut b = fiber::Trie::default();
    for w in &words {
        assert_eq!(a.insert(w), run(b.insert(w)));
    }
    assert_eq!(a.len(), run(b.len()));
    for w in &words {
        assert_eq!(a.remove(w), run(b.remove(w)));
        assert_eq!(a.len(), run(b.len()));
    }
}
