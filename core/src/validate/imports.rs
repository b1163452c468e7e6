//! The `missing_import` lint: a spec that references an entity defined in
//! another file, when neither file imports the other (transitively).

use std::collections::{HashMap, HashSet};

use crate::Origins;

/// The import graph of the loaded files.
#[derive(Default)]
pub(crate) struct Imports {
    edges: HashMap<String, Vec<String>>,
    reach: HashMap<String, HashSet<String>>,
}

impl Imports {
    pub fn new(origins: &Origins) -> Self {
        let mut edges: HashMap<String, Vec<String>> = HashMap::new();
        for (from, to) in &origins.imports {
            edges.entry(from.clone()).or_default().push(to.clone());
        }
        Imports {
            edges,
            reach: HashMap::new(),
        }
    }

    /// Whether `a` imports `b` or `b` imports `a`, directly or not.
    pub fn connected(&mut self, a: &str, b: &str) -> bool {
        a == b || self.reaches(a, b) || self.reaches(b, a)
    }

    fn reaches(&mut self, from: &str, to: &str) -> bool {
        if !self.reach.contains_key(from) {
            let mut seen = HashSet::new();
            let mut stack = vec![from.to_string()];
            while let Some(file) = stack.pop() {
                for next in self.edges.get(&file).into_iter().flatten() {
                    if seen.insert(next.clone()) {
                        stack.push(next.clone());
                    }
                }
            }
            self.reach.insert(from.to_string(), seen);
        }
        self.reach[from].contains(to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitive_in_either_direction() {
        let mut origins = Origins::default();
        for (a, b) in [
            ("file:///a", "file:///b"),
            ("file:///b", "file:///c"),
            ("file:///d", "file:///c"),
        ] {
            origins.imports.insert((a.to_string(), b.to_string()));
        }
        let mut imports = Imports::new(&origins);
        assert!(imports.connected("file:///a", "file:///c"));
        assert!(imports.connected("file:///c", "file:///a"));
        assert!(imports.connected("file:///a", "file:///a"));
        // Sharing an import is not enough.
        assert!(!imports.connected("file:///a", "file:///d"));
    }
}
