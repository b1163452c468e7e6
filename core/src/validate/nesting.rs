//! Values that nest deeper than [`MAX_DEPTH`]: a catalog holding one would
//! be written, and then not load again. The Python and Node builders refuse
//! such values; a catalog made in Rust can hold them, and gets a diagnostic
//! here, scoped at the value.

use serde_json::Value;

use crate::json::{nests_too_deep, MAX_DEPTH};
use crate::{
    codes, CaptureEndpoint, Catalog, DeriveUsing, Diagnostic, Kind, MaterializationEndpoint,
    Schema, Shuffle, Source, TestDocuments, TestStep,
};

/// A step of the JSON pointer to a value within its spec.
#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

use Seg::{Index, Key};

/// Every value of `catalog` that nests deeper than [`MAX_DEPTH`].
pub(crate) fn too_deep(catalog: &Catalog) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (name, def) in &catalog.captures {
        let mut spec = Spec::new(catalog, Kind::Capture, name, &mut out);
        let (variant, config) = match &def.endpoint {
            CaptureEndpoint::Connector(c) => ("connector", &c.config),
            CaptureEndpoint::Local(l) => ("local", &l.config),
        };
        spec.value(&[Key("endpoint"), Key(variant), Key("config")], &[], config);
        for (i, binding) in def.bindings.iter().enumerate() {
            let at = [Key("bindings"), Index(i), Key("resource")];
            spec.value(&at, &[], &binding.resource);
        }
    }
    for (name, def) in &catalog.collections {
        let mut spec = Spec::new(catalog, Kind::Collection, name, &mut out);
        for (key, schema) in [
            ("schema", &def.schema),
            ("writeSchema", &def.write_schema),
            ("readSchema", &def.read_schema),
        ] {
            if let Some(schema) = schema {
                spec.schema(key, schema);
            }
        }
        let Some(derive) = &def.derive else {
            continue;
        };
        let using = [Key("derive"), Key("using")];
        match &derive.using {
            DeriveUsing::Connector(c) => {
                spec.value(&using, &[Key("connector"), Key("config")], &c.config)
            }
            DeriveUsing::Local(l) => spec.value(&using, &[Key("local"), Key("config")], &l.config),
            DeriveUsing::Sqlite(s) => {
                for (i, migration) in s.migrations.iter().enumerate() {
                    let at = [Key("sqlite"), Key("migrations"), Index(i)];
                    spec.value(&using, &at, migration);
                }
            }
            DeriveUsing::Typescript(t) => {
                spec.value(&using, &[Key("typescript"), Key("module")], &t.module)
            }
            DeriveUsing::Python(p) => {
                spec.value(&using, &[Key("python"), Key("module")], &p.module)
            }
        }
        for (i, transform) in derive.transforms.iter().enumerate() {
            let at = [Key("derive"), Key("transforms"), Index(i)];
            spec.source(&at, "source", &transform.source);
            if let Some(Shuffle::Lambda(lambda)) = &transform.shuffle {
                spec.value(&at, &[Key("shuffle"), Key("lambda")], lambda);
            }
            if let Some(lambda) = &transform.lambda {
                spec.value(&at, &[Key("lambda")], lambda);
            }
        }
    }
    for (name, def) in &catalog.materializations {
        let mut spec = Spec::new(catalog, Kind::Materialization, name, &mut out);
        let (variant, config) = match &def.endpoint {
            MaterializationEndpoint::Connector(c) => ("connector", &c.config),
            MaterializationEndpoint::Local(l) => ("local", &l.config),
            MaterializationEndpoint::Dekaf(d) => ("dekaf", &d.config),
        };
        spec.value(&[Key("endpoint"), Key(variant), Key("config")], &[], config);
        for (i, binding) in def.bindings.iter().enumerate() {
            let at = [Key("bindings"), Index(i)];
            spec.value(&at, &[Key("resource")], &binding.resource);
            spec.source(&at, "source", &binding.source);
            for (field, value) in &binding.fields.require {
                spec.value(&at, &[Key("fields"), Key("require"), Key(field)], value);
            }
        }
    }
    for (name, def) in &catalog.tests {
        let mut spec = Spec::new(catalog, Kind::Test, name, &mut out);
        for (i, step) in def.steps.iter().enumerate() {
            let step_key = match step {
                TestStep::Ingest(_) => "ingest",
                TestStep::Verify(verify) => {
                    let at = [Key("steps"), Index(i), Key("verify")];
                    spec.source(&at, "collection", &verify.collection);
                    "verify"
                }
            };
            if let TestDocuments::Inline(documents) = step.documents() {
                for (j, document) in documents.iter().enumerate() {
                    let at = [Key("steps"), Index(i), Key(step_key)];
                    spec.value(&at, &[Key("documents"), Index(j)], document);
                }
            }
        }
    }
    out
}

/// The checks of one spec, reporting into `out`.
struct Spec<'c, 'o> {
    catalog: &'c Catalog,
    kind: Kind,
    name: &'c str,
    out: &'o mut Vec<Diagnostic>,
}

impl<'c, 'o> Spec<'c, 'o> {
    fn new(catalog: &'c Catalog, kind: Kind, name: &'c str, out: &'o mut Vec<Diagnostic>) -> Self {
        Self {
            catalog,
            kind,
            name,
            out,
        }
    }

    /// Checks the value at `at` then `tail` (the pointer in two parts, so
    /// that it is built only for a value that is too deep).
    fn value(&mut self, at: &[Seg<'_>], tail: &[Seg<'_>], value: &Value) {
        if nests_too_deep(value) {
            self.report(at, tail);
        }
    }

    /// Checks an inline schema, at the key `key` of the spec.
    fn schema(&mut self, key: &str, schema: &Schema) {
        if schema.inline_json().is_some_and(text_nests_too_deep) {
            self.report(&[Key(key)], &[]);
        }
    }

    /// Checks the partition values of the source at `at`/`key`.
    fn source(&mut self, at: &[Seg<'_>], key: &str, source: &Source) {
        let Source::Source(full) = source else {
            return;
        };
        let Some(partitions) = &full.partitions else {
            return;
        };
        for (which, fields) in [
            ("include", &partitions.include),
            ("exclude", &partitions.exclude),
        ] {
            for (field, values) in fields {
                for (j, value) in values.iter().enumerate() {
                    let tail = [
                        Key(key),
                        Key("partitions"),
                        Key(which),
                        Key(field),
                        Index(j),
                    ];
                    self.value(at, &tail, value);
                }
            }
        }
    }

    fn report(&mut self, at: &[Seg<'_>], tail: &[Seg<'_>]) {
        let mut scope = self.catalog.origins.scope(self.kind, self.name);
        for seg in at.iter().chain(tail) {
            scope = match *seg {
                Key(key) => scope.push(key),
                Index(i) => scope.push_index(i),
            };
        }
        self.out.push(scope.diagnostic(
            codes::NESTING_TOO_DEEP,
            format!(
                "{} {}: this value nests arrays and objects more than {MAX_DEPTH} levels deep, \
                 which a catalog cannot hold (it would not load again)",
                self.kind.singular(),
                self.name
            ),
        ));
    }
}

/// Whether compact JSON `text` nests deeper than [`MAX_DEPTH`] levels.
fn text_nests_too_deep(text: &str) -> bool {
    // Most schemas open fewer arrays and objects in all than the limit
    // (counted quickly, strings included); only others are followed.
    let opened = text.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
    if opened <= MAX_DEPTH {
        return false;
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests;
