//! A trie of `BTreeMap<char, Trie>` children as a `#[fiber] impl`: insertion over a `&[char]`,
//! lookup, prefix counting, collecting the words in order through a `&mut String` buffer
//! (push, recurse, pop), and pruning removal.

use std::collections::BTreeMap;

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;

twins! {
    shared {
        #[derive(Default, Debug)]
        pub struct Trie {
            children: BTreeMap<char, Trie>,
            terminal: bool,
        }

        impl Drop for Trie {
            fn drop(&mut self) {
                let mut stack: Vec<Trie> = std::mem::take(&mut self.children).into_values().collect();
                while let Some(mut t) = stack.pop() {
                    stack.extend(std::mem::take(&mut t.children).into_values());
                }
            }
        }

        impl Trie {
            /// Not recursive: `with_prefix` reaches the subtree's count through it.
            pub fn count_words_native(&self, rest: &[char]) -> usize {
                let mut node = self;
                for c in rest {
                    match node.children.get(c) {
                        Some(n) => node = n,
                        None => return 0,
                    }
                }
                let mut stack = vec![node];
                let mut n = 0;
                while let Some(t) = stack.pop() {
                    n += t.terminal as usize;
                    stack.extend(t.children.values());
                }
                n
            }
        }
    }

    impl Trie {
        pub fn add(&mut self, word: &[char]) -> bool {
            match word.split_first() {
                None => {
                    let fresh = !self.terminal;
                    self.terminal = true;
                    fresh
                }
                Some((c, rest)) => self.children.entry(*c).or_default().add(rest),
            }
        }

        pub fn has(&self, word: &[char]) -> bool {
            let Some((c, rest)) = word.split_first() else {
                return self.terminal;
            };
            match self.children.get(c) {
                Some(child) => child.has(rest),
                None => false,
            }
        }

        pub fn count_words(&self) -> usize {
            let mut n = self.terminal as usize;
            for child in self.children.values() {
                n += child.count_words();
            }
            n
        }

        pub fn with_prefix(&self, prefix: &[char]) -> usize {
            match prefix {
                [] => self.count_words(),
                [c, rest @ ..] => self.children.get(c).map_or(0, |t| t.count_words_native(rest)),
            }
        }

        pub fn words(&self, buf: &mut String, out: &mut Vec<String>) {
            if self.terminal {
                out.push(log("word", buf.clone()));
            }
            for (c, child) in &self.children {
                buf.push(*c);
                child.words(buf, out);
                buf.pop();
            }
        }

        /// Removes a word; returns whether this node is now useless (no word, no children).
        pub fn remove_word(&mut self, word: &[char]) -> bool {
            match word.split_first() {
                None => self.terminal = false,
                Some((c, rest)) => {
                    if let Some(child) = self.children.get_mut(c) {
                        if child.remove_word(rest) {
                            log("prune", *c);
                            self.children.remove(c);
                        }
                    }
                }
            }
            !self.terminal && self.children.is_empty()
        }
    }

}

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

const WORDS: &[&str] = &["tea", "ten", "to", "inn", "in", "i", "tea", "team", "", "zebra"];

#[test]
fn trie_matches_native() {
    let mut n = native::Trie::default();
    let mut f = fiber::Trie::default();
    for w in WORDS {
        assert_eq!(n.add(&chars(w)), run(f.add(&chars(w))), "{w}");
    }
    for probe in ["te", "tea", "team", "teams", "", "z", "zebra", "inn"] {
        assert_eq!(n.has(&chars(probe)), run(f.has(&chars(probe))));
        assert_eq!(n.with_prefix(&chars(probe)), run(f.with_prefix(&chars(probe))));
    }
    assert_eq!(n.count_words(), run(f.count_words()));
    let listed = |n: &native::Trie| {
        let mut out = Vec::new();
        n.words(&mut String::new(), &mut out);
        out
    };
    assert_eq!(
        logged(|| listed(&n)),
        logged(|| {
            let mut out = Vec::new();
            run(f.words(&mut String::new(), &mut out));
            out
        })
    );
    for w in ["team", "zebra", "in", "nope", "tea"] {
        assert_eq!(logged(|| n.remove_word(&chars(w))), logged(|| run(f.remove_word(&chars(w)))));
    }
    assert_eq!(logged(|| listed(&n)).0, {
        let mut out = Vec::new();
        run(f.words(&mut String::new(), &mut out));
        out
    });
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn trie_100_000_deep() {
    const DEEP: usize = 100_000;
    let long: Vec<char> = (0..DEEP).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    let mut f = fiber::Trie::default();
    assert!(run(f.add(&long)));
    assert!(run(f.add(&long[..DEEP / 2])));
    assert!(run(f.has(&long)));
    assert!(!run(f.has(&long[..DEEP - 1])));
    assert_eq!(run(f.count_words()), 2);
    let mut out = Vec::new();
    run(f.words(&mut String::new(), &mut out));
    assert_eq!(out.len(), 2);
    assert_eq!(out[1].len(), DEEP);
    assert!(!run(f.remove_word(&long)));
    assert_eq!(run(f.count_words()), 1);
    let expected = on_big_stack(move || {
        let mut n = native::Trie::default();
        n.add(&long);
        n.count_words()
    });
    assert_eq!(expected, 1);
}
