//! Where a value sits: the additional data sops binds to it, and the name errors use.

use std::fmt::Write as _;

/// One step from the root to a value.
#[derive(Clone, Copy, Debug)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The path of the value being visited, kept as a stack while walking a document.
#[derive(Debug, Default)]
pub(crate) struct KeyPath<'a> {
    steps: Vec<Step<'a>>,
}

impl<'a> KeyPath<'a> {
    pub(crate) fn push_key(&mut self, key: &'a str) {
        self.steps.push(Step::Key(key));
    }

    pub(crate) fn push_index(&mut self, index: usize) {
        self.steps.push(Step::Index(index));
    }

    pub(crate) fn pop(&mut self) {
        self.steps.pop();
    }

    /// The object keys on the path; array indices are not part of it.
    pub(crate) fn keys(&self) -> Vec<&'a str> {
        self.steps
            .iter()
            .filter_map(|step| match step {
                Step::Key(k) => Some(*k),
                Step::Index(_) => None,
            })
            .collect()
    }

    /// sops' additional data: the keys joined by `:`, plus a trailing `:`.
    pub(crate) fn aad(&self) -> String {
        let mut out = String::new();
        for key in self.keys() {
            out.push_str(key);
            out.push(':');
        }
        out
    }

    /// A readable name for messages: `credentials.access_token`, `hosts[2].password`.
    pub(crate) fn display(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            match step {
                Step::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Step::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aad_skips_indices_and_display_keeps_them() {
        let mut path = KeyPath::default();
        path.push_key("baz");
        path.push_key("array");
        path.push_index(2);
        path.push_key("inner_sops_sops");
        assert_eq!(path.aad(), "baz:array:inner_sops_sops:");
        assert_eq!(path.display(), "baz.array[2].inner_sops_sops");
        assert_eq!(path.keys(), ["baz", "array", "inner_sops_sops"]);
        path.pop();
        path.pop();
        assert_eq!(path.aad(), "baz:array:");
    }

    #[test]
    fn unicode_keys_are_raw_utf8() {
        let mut path = KeyPath::default();
        path.push_key("café");
        path.push_key("passwörd");
        assert_eq!(path.aad().as_bytes(), "café:passwörd:".as_bytes());
    }
}
