//! The catalog a publication would make live: the live specs overlaid with
//! a draft's, as one JSON catalog document that flowspec loads and
//! validates; its diagnostics mapped back to the specs they are about, as
//! `flow://<type>/<name>#<pointer>` scopes; and what each spec reads from
//! and writes to.
//!
//! ```
//! use flowspec::Kind;
//! use flowspec_server::catalog::draft_scope;
//! assert_eq!(draft_scope(Kind::Collection, "acmeCo/anvils", "/schema"), "flow://collection/acmeCo/anvils#/schema");
//! assert_eq!(draft_scope(Kind::Capture, "acmeCo/src", ""), "flow://capture/acmeCo/src");
//! ```

use std::collections::{BTreeMap, BTreeSet};

use flowspec::{Catalog, Diagnostic, Edge, Kind};

/// The URL of the catalog document a publication is validated as.
pub const CATALOG_URL: &str = "flow://publication/catalog.json";

/// The kind of a spec as the `spec_type` column holds it: only the
/// singular words (`capture`, …), which is all the column admits.
///
/// ```
/// use flowspec_server::catalog::spec_type;
/// assert_eq!(spec_type("capture"), Some(flowspec::Kind::Capture));
/// assert_eq!(spec_type("captures"), None);
/// ```
pub fn spec_type(word: &str) -> Option<Kind> {
    word.parse::<Kind>().ok().filter(|k| k.singular() == word)
}

/// The scope of a problem in a spec, as `draft_errors.scope` holds it:
/// `flow://<type>/<name>`, then `#<pointer>` into the spec if not empty.
pub fn draft_scope(spec_type: Kind, name: &str, pointer: &str) -> String {
    if pointer.is_empty() {
        format!("flow://{}/{name}", spec_type.singular())
    } else {
        format!("flow://{}/{name}#{pointer}", spec_type.singular())
    }
}

/// Specs by name: each one's type and JSON text.
pub type Specs = BTreeMap<String, (Kind, String)>;

/// The catalog document of `specs`: `{"captures": {name: spec, …}, …}`,
/// each spec its text as stored.
///
/// ```
/// use flowspec::Kind;
/// use flowspec_server::catalog::document;
/// let specs = [("acmeCo/x".to_string(), (Kind::Collection, r#"{"key": ["/id"]}"#.to_string()))].into();
/// assert_eq!(document(&specs), r#"{"collections":{"acmeCo/x":{"key": ["/id"]}}}"#);
/// ```
pub fn document(specs: &Specs) -> String {
    let mut sections: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (name, (spec_type, text)) in specs {
        let key = serde_json::Value::String(name.clone()).to_string();
        sections
            .entry(spec_type.plural())
            .or_default()
            .push(format!("{key}:{text}"));
    }
    let parts: Vec<String> = sections
        .into_iter()
        .map(|(section, entries)| format!("\"{section}\":{{{}}}", entries.join(",")))
        .collect();
    format!("{{{}}}", parts.join(","))
}

/// Where a diagnostic of the document is: the spec (type and name) and the
/// JSON pointer inside it, or `None` if it is not inside one spec.
///
/// ```
/// use flowspec::Kind;
/// use flowspec_server::catalog::locate;
/// assert_eq!(
///     locate("flow://publication/catalog.json#/collections/acmeCo~1anvils/schema"),
///     Some((Kind::Collection, "acmeCo/anvils".to_string(), "/schema".to_string()))
/// );
/// assert_eq!(locate("file:///p/flow.yaml#/collections/acmeCo~1anvils"), None);
/// ```
pub fn locate(scope: &str) -> Option<(Kind, String, String)> {
    let pointer = scope.strip_prefix(CATALOG_URL)?.strip_prefix('#')?;
    let mut tokens = pointer.splitn(4, '/');
    tokens.next(); // the empty token before the first `/`
    let section = tokens.next()?;
    let spec_type = section
        .parse::<Kind>()
        .ok()
        .filter(|k| k.plural() == section)?;
    let name = tokens.next()?.replace("~1", "/").replace("~0", "~");
    let rest = tokens.next().map(|r| format!("/{r}")).unwrap_or_default();
    Some((spec_type, name, rest))
}

/// `message` with every scope of the catalog document in it written as
/// the scope of its spec (`flow://collection/acmeCo/x#/schema`).
///
/// ```
/// use flowspec_server::catalog::rescope;
/// assert_eq!(
///     rescope("defined at flow://publication/catalog.json#/collections/acmeCo~1x ?"),
///     "defined at flow://collection/acmeCo/x ?"
/// );
/// ```
pub fn rescope(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(CATALOG_URL) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == ',' || c == ')')
            .unwrap_or(tail.len());
        match locate(&tail[..end]) {
            Some((t, name, pointer)) => out.push_str(&draft_scope(t, &name, &pointer)),
            None => out.push_str(&tail[..end]),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The errors of loading and validating `specs`, warnings left out.
///
/// The document is loaded from a file alone in a new, empty directory
/// that references may not leave: specs arrive inline, and a reference to
/// a file (`"schema": "file:///etc/passwd"`) is an error rather than a
/// read of the server's files. Scopes and messages name the document as
/// [`CATALOG_URL`].
///
/// ```
/// use flowspec::Kind;
/// use flowspec_server::catalog::check;
/// let specs = [("acmeCo/x".to_string(), (Kind::Collection, r#"{"schema": {"type": "object"}, "key": ["id"]}"#.to_string()))].into();
/// let errors = check(&specs).unwrap_err();
/// assert_eq!(errors[0].scope, "flow://publication/catalog.json#/collections/acmeCo~1x/key/0");
/// ```
pub fn check(specs: &Specs) -> Result<Catalog, Vec<Diagnostic>> {
    let failed = |message: String| {
        vec![Diagnostic::new(
            CATALOG_URL,
            message,
            flowspec::codes::INVALID_SPEC,
        )]
    };
    let dir = tempfile::tempdir()
        .map_err(|e| failed(format!("cannot make a directory to validate in: {e}")))?;
    let path = dir.path().join("catalog.json");
    std::fs::write(&path, document(specs))
        .map_err(|e| failed(format!("cannot write the catalog to validate: {e}")))?;
    let file_url = url::Url::from_file_path(&path)
        .map(String::from)
        .unwrap_or_default();
    let dir_url = url::Url::from_directory_path(dir.path())
        .map(String::from)
        .unwrap_or_default();
    let local = |text: &str| {
        text.replace(&file_url, CATALOG_URL)
            .replace(&dir_url, "flow://publication/")
    };
    let renamed = |d: &Diagnostic| Diagnostic {
        scope: local(&d.scope),
        message: local(&d.message),
        ..d.clone()
    };
    let options = flowspec::load::LoadOptions {
        root: Some(dir.path().to_path_buf()),
        deny_outside_root: true,
        ..Default::default()
    };
    match flowspec::load::load_with(&path.to_string_lossy(), &options) {
        Err(err) if err.diagnostics().is_empty() => Err(failed(local(&err.to_string()))),
        Err(err) => Err(err
            .diagnostics()
            .iter()
            .filter(|d| d.is_error())
            .map(renamed)
            .collect()),
        Ok(catalog) => {
            let errors: Vec<Diagnostic> = flowspec::validate::validate(&catalog)
                .iter()
                .filter(|d| d.is_error())
                .map(renamed)
                .collect();
            if errors.is_empty() {
                Ok(catalog)
            } else {
                Err(errors)
            }
        }
    }
}

/// What each spec of `catalog` reads from and writes to (the core's
/// [`Catalog::edges`]).
pub fn edges(catalog: &Catalog) -> Vec<Edge> {
    catalog.edges()
}

/// The names `name` reads from and writes to, as JSON arrays of
/// `live_specs.reads_from` / `writes_to`.
pub fn reads_and_writes(edges: &[Edge], spec_type: Kind, name: &str) -> (String, String) {
    let mut reads = BTreeSet::new();
    let mut writes = BTreeSet::new();
    for edge in edges {
        if edge.from.0 == spec_type && edge.from.1 == name {
            if edge.writes {
                writes.insert(edge.to.clone());
            } else {
                reads.insert(edge.to.clone());
            }
        }
    }
    let json = |set: BTreeSet<String>| {
        serde_json::Value::from(set.into_iter().collect::<Vec<_>>()).to_string()
    };
    (json(reads), json(writes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs(list: &[(&str, Kind, &str)]) -> Specs {
        list.iter()
            .map(|(n, t, s)| (n.to_string(), (*t, s.to_string())))
            .collect()
    }

    #[test]
    fn diagnostics_map_back_to_their_specs() {
        let specs = specs(&[(
            "acmeCo/anvils",
            Kind::Collection,
            r#"{"schema": {"type": "object"}, "key": ["id"]}"#,
        )]);
        let errors = check(&specs).unwrap_err();
        let located: Vec<_> = errors.iter().map(|d| locate(&d.scope)).collect();
        assert_eq!(
            located,
            vec![Some((
                Kind::Collection,
                "acmeCo/anvils".to_string(),
                "/key/0".to_string()
            ))],
            "{errors:?}"
        );
        assert_eq!(
            locate("flow://publication/catalog.json#/collections/a~1b"),
            Some((Kind::Collection, "a/b".into(), String::new()))
        );
        assert_eq!(locate("file:///x#/collections/a"), None);
    }

    #[test]
    fn file_references_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let schema = dir.path().join("s.json");
        std::fs::write(
            &schema,
            r#"{"type":"object","properties":{"id":{"type":"string"}},"required":["id"]}"#,
        )
        .unwrap();
        let url = url::Url::from_file_path(&schema).unwrap().to_string();
        let base = "flow://publication/catalog.json#/collections/acmeCo~1x/schema";
        let cases = [
            (
                format!(r#"{{"schema":"{url}","key":["/id"]}}"#),
                base.to_string(),
                "reference_outside_root",
            ),
            (
                format!(r#"{{"schema":{{"$ref":"{url}"}},"key":["/id"]}}"#),
                format!("{base}/$ref"),
                "reference_outside_root",
            ),
            (
                r#"{"schema":"s.json","key":["/id"]}"#.to_string(),
                base.to_string(),
                "read_failed",
            ),
        ];
        for (spec, scope, code) in cases {
            let specs = [("acmeCo/x".to_string(), (Kind::Collection, spec.clone()))].into();
            let errors = check(&specs).unwrap_err();
            let found: Vec<_> = errors
                .iter()
                .map(|d| (d.scope.as_str(), d.code.as_str()))
                .collect();
            assert_eq!(found, [(scope.as_str(), code)], "{spec}: {errors:?}");
        }
    }

    #[test]
    fn a_valid_catalog_has_its_edges() {
        let specs = specs(&[
            (
                "acmeCo/anvils",
                Kind::Collection,
                r#"{"schema": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}, "key": ["/id"]}"#,
            ),
            (
                "acmeCo/src",
                Kind::Capture,
                r#"{"endpoint": {"connector": {"image": "ghcr.io/estuary/source-x:v1", "config": {}}}, "bindings": [{"resource": {"t": 1}, "target": "acmeCo/anvils"}]}"#,
            ),
            (
                "acmeCo/heavy",
                Kind::Collection,
                r#"{"schema": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}, "key": ["/id"],
                    "derive": {"using": {"sqlite": {}}, "transforms": [{"name": "fromAnvils", "source": "acmeCo/anvils", "shuffle": "any", "lambda": "select $id;"}]}}"#,
            ),
        ]);
        let catalog = check(&specs).unwrap();
        let edges = edges(&catalog);
        let found: Vec<(&str, &str, bool, &str)> = edges
            .iter()
            .map(|e| {
                (
                    e.from.1.as_str(),
                    e.to.as_str(),
                    e.writes,
                    e.pointer.as_str(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("acmeCo/src", "acmeCo/anvils", true, "/bindings/0/target"),
                (
                    "acmeCo/heavy",
                    "acmeCo/anvils",
                    false,
                    "/derive/transforms/0/source"
                ),
            ]
        );
        assert_eq!(
            reads_and_writes(&edges, Kind::Capture, "acmeCo/src"),
            ("[]".to_string(), "[\"acmeCo/anvils\"]".to_string())
        );
        assert_eq!(
            reads_and_writes(&edges, Kind::Collection, "acmeCo/heavy"),
            ("[\"acmeCo/anvils\"]".to_string(), "[]".to_string())
        );
    }
}
