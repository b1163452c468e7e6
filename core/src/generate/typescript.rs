//! The TypeScript files of a derivation: its types file
//! (`flow_generated/typescript/<name>.ts`) and the stub of a missing module.

use std::fmt::Write;

use serde_json::Value;

use super::mapper::{Mapper, INLINE_BASE};
use crate::{codes, Catalog, CollectionDef, Derivation, Error, Kind, Result};

/// `name` in camel case: each character that is not alphanumeric is
/// dropped and upper-cases the next; `upper` says whether the first is
/// upper-cased too.
///
/// `from-orders` → `fromOrders` (a method), or `FromOrders` (a type).
pub(crate) fn camel_case(name: &str, upper: bool) -> String {
    let mut upper = upper;
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if !c.is_alphanumeric() {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The name of the type of a transform's source documents: `Source<Pascal>`.
fn source_type(transform: &str) -> String {
    format!("Source{}", camel_case(transform, true))
}

/// The schemas of a collection as TypeScript reads them: the write schema
/// (or `schema`), the read schema if there is one of its own, and the base
/// URL of each.
struct Schemas {
    write: (Value, String),
    read: Option<(Value, String)>,
}

impl Schemas {
    fn of(catalog: &Catalog, name: &str, def: &CollectionDef) -> Result<Schemas> {
        let base = |pointer: &str| -> String {
            if let Some(file) = catalog.origins.file(Kind::Collection, name, pointer) {
                return file.url.clone();
            }
            let scope = catalog.origins.scope(Kind::Collection, name);
            match url::Url::parse(&scope.url) {
                Ok(mut url) if url.scheme() == "file" => {
                    url.set_fragment(None);
                    url.to_string()
                }
                _ => INLINE_BASE.to_string(),
            }
        };
        let value = |schema: &crate::Schema, pointer: &str| -> Result<(Value, String)> {
            if let Some(reference) = schema.as_reference() {
                return Err(Error::Validation(vec![catalog
                    .origins
                    .scope(Kind::Collection, name)
                    .join_pointer(pointer)
                    .diagnostic(
                        codes::SCHEMA_NOT_LOADED,
                        format!(
                            "collection {name}: the schema {reference:?} was not loaded, so its \
                             TypeScript types cannot be generated"
                        ),
                    )]));
            }
            Ok((schema.to_value(), base(pointer)))
        };
        let (write, read) = match (&def.schema, &def.write_schema, &def.read_schema) {
            (Some(schema), _, _) => (value(schema, "/schema")?, None),
            (None, Some(write), Some(read)) => (
                value(write, "/writeSchema")?,
                Some(value(read, "/readSchema")?),
            ),
            _ => {
                return Err(Error::Validation(vec![catalog
                    .origins
                    .scope(Kind::Collection, name)
                    .diagnostic(
                        codes::COLLECTION_SCHEMA_MISSING,
                        format!(
                            "collection {name} has neither `schema` nor both `writeSchema` and \
                             `readSchema`, so its TypeScript types cannot be generated"
                        ),
                    )]))
            }
        };
        Ok(Schemas { write, read })
    }

    /// The mappers of the write and read schemas; named anchors are taken
    /// from the read schema when there is one, else from the write schema.
    fn mappers(&self, prefix: &str) -> (Mapper<'_>, Option<Mapper<'_>>) {
        let (write, write_base) = (&self.write.0, self.write.1.as_str());
        match &self.read {
            None => (Mapper::new(write, write_base, prefix, &[]), None),
            Some((read, read_base)) => {
                // The write schema, where the read schema refers to it.
                let text = read.to_string();
                let extra: Vec<(&str, &Value)> =
                    ["flow://write-schema", "flow://relaxed-write-schema"]
                        .into_iter()
                        .filter(|url| text.contains(url))
                        .map(|url| (url, write))
                        .collect();
                (
                    Mapper::new(write, write_base, "", &[]),
                    Some(Mapper::new(read, read_base, prefix, &extra)),
                )
            }
        }
    }
}

/// Writes the named anchors of `mapper` as types.
fn anchors(out: &mut String, mapper: &Mapper) {
    for (anchor, name) in mapper.named() {
        let _ = write!(
            out,
            "\n// Generated for schema $anchor {anchor}.\"\nexport type {name} = {};\n\n",
            mapper.anchor_type(name)
        );
    }
}

/// The text of `flow_generated/typescript/<name>.ts` for the derived
/// collection `name` of `catalog`, whose schemas are inline (bundled).
pub(crate) fn types_file(catalog: &Catalog, name: &str) -> Result<String> {
    let (def, derive) = derivation(catalog, name)?;
    let mut out = String::with_capacity(4096);

    let schemas = Schemas::of(catalog, name, def)?;
    let (write, read) = schemas.mappers("Document");
    let _ = write!(
        out,
        "\n// Generated for published documents of derived collection {name}.\nexport type \
         Document = {};\n\n",
        write.root_type()
    );
    anchors(&mut out, read.as_ref().unwrap_or(&write));

    for (i, transform) in derive.transforms.iter().enumerate() {
        let type_name = source_type(transform.name.as_str());
        let source = transform.source.collection();
        let Some(source_def) = catalog.collections.get(source.as_str()) else {
            if transform.disable {
                // A disabled transform may name a missing collection.
                let _ = write!(
                    out,
                    "\n// Generated for read documents of sourced collection {source}.\nexport \
                     type {type_name} = unknown;\n\n"
                );
                continue;
            }
            return Err(Error::Validation(vec![catalog
                .origins
                .scope(Kind::Collection, name)
                .join_pointer(&format!("/derive/transforms/{i}/source"))
                .diagnostic(
                    codes::REFERENCE_UNDEFINED,
                    format!(
                        "collection {name}: transform {} reads collection {source}, which is \
                         not in the catalog",
                        transform.name.as_str()
                    ),
                )]));
        };
        let schemas = Schemas::of(catalog, source.as_str(), source_def)?;
        let (write, read) = schemas.mappers(&type_name);
        let mapper = read.as_ref().unwrap_or(&write);
        let _ = write!(
            out,
            "\n// Generated for read documents of sourced collection {source}.\nexport type \
             {type_name} = {};\n\n",
            mapper.root_type()
        );
        anchors(&mut out, mapper);
    }

    out.push_str(
        r#"
export abstract class IDerivation {
    // Construct a new Derivation instance from a Request.Open message.
    constructor(_open: { state: unknown }) { }

    // flush awaits any remaining documents to be published and returns them.
    // deno-lint-ignore require-await
    async flush(): Promise<Document[]> {
        return [];
    }

    // reset is called only when running catalog tests, and must reset any internal state.
    async reset() { }

    // startCommit is notified of a runtime commit in progress, and returns an optional
    // connector state update to be committed.
    startCommit(_startCommit: { runtimeCheckpoint: unknown }): { state?: { updated: unknown, mergePatch: boolean } } {
        return {};
    }
"#,
    );
    for transform in &derive.transforms {
        let _ = write!(
            out,
            "\n    abstract {}(read: {{ doc: {} }}): Document[];",
            camel_case(transform.name.as_str(), false),
            source_type(transform.name.as_str())
        );
    }
    out.push_str("\n}\n");
    Ok(out)
}

/// The stub of a missing TypeScript module of the derivation `name`: a
/// `Derivation` class whose methods throw "Not implemented".
pub(crate) fn stub_module(catalog: &Catalog, name: &str) -> Result<String> {
    let (_, derive) = derivation(catalog, name)?;
    let mut imports = vec!["IDerivation".to_string(), "Document".to_string()];
    imports.extend(
        derive
            .transforms
            .iter()
            .map(|t| source_type(t.name.as_str())),
    );
    let mut out = format!(
        "import {{ {} }} from 'flow/{name}.ts';\n\n// Implementation for derivation {name}.\n\
         export class Derivation extends IDerivation {{\n",
        imports.join(", ")
    );
    for transform in &derive.transforms {
        let _ = write!(
            out,
            "    {}(_read: {{ doc: {} }}): Document[] {{\n        throw new Error(\"Not \
             implemented\");\n    }}\n",
            camel_case(transform.name.as_str(), false),
            source_type(transform.name.as_str())
        );
    }
    out.push_str("}\n");
    Ok(out)
}

/// The derived collection `name` of `catalog`, and its derivation.
fn derivation<'c>(catalog: &'c Catalog, name: &str) -> Result<(&'c CollectionDef, &'c Derivation)> {
    let def = catalog
        .collections
        .get(name)
        .ok_or_else(|| Error::NotDefined {
            kind: Kind::Collection,
            name: name.to_string(),
        })?;
    let derive = def.derive.as_ref().ok_or_else(|| {
        Error::invalid_spec(
            format!("collection {name}"),
            "it is not a derivation, so it has no TypeScript types",
        )
    })?;
    Ok((def, derive))
}
