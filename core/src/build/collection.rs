//! The collection builder.

use super::{pointers, Build, DerivationBuilder, Problems, Spec};
use crate::{CollectionDef, Field, Id, JournalTemplate, Projection, Result, Schema};

/// Builds a collection, or a derivation with [`CollectionBuilder::derive`].
///
/// ```
/// use flowspec::build::{Build, CollectionBuilder};
/// use serde_json::json;
///
/// #[derive(schemars::JsonSchema)]
/// struct Charge { id: String, amount: i64 }
///
/// let spec = CollectionBuilder::new("acmeCo/ci-cd/stripe_charges")
///     .schema_of::<Charge>()
///     .key(["/id"])
///     .partition("currency", "/currency")
///     .build();
/// assert!(spec.is_ok());
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CollectionBuilder {
    name: String,
    def: CollectionDef,
    problems: Problems,
}

impl CollectionBuilder {
    /// A collection named `name` (like `acmeCo/anvils/products`).
    pub fn new(name: impl Into<String>) -> Self {
        let mut def = CollectionDef::new(Schema::new(serde_json::Value::Null), Vec::new());
        def.schema = None;
        Self {
            name: name.into(),
            def,
            problems: Problems::default(),
        }
    }

    /// Sets the schema: an inline JSON schema, or a [`Schema::reference`] to a file.
    pub fn schema(mut self, schema: impl Into<Schema>) -> Self {
        self.def.schema = Some(schema.into());
        self
    }

    /// Sets the schema to that of a type deriving `schemars::JsonSchema`.
    pub fn schema_of<T: schemars::JsonSchema>(self) -> Self {
        self.schema(Schema::of::<T>())
    }

    /// Sets the write schema (use with [`CollectionBuilder::read_schema`] instead of `schema`).
    pub fn write_schema(mut self, schema: impl Into<Schema>) -> Self {
        self.def.write_schema = Some(schema.into());
        self
    }

    /// Sets the read schema (use with [`CollectionBuilder::write_schema`] instead of `schema`).
    pub fn read_schema(mut self, schema: impl Into<Schema>) -> Self {
        self.def.read_schema = Some(schema.into());
        self
    }

    /// Sets the composite key, as JSON pointers (like `["/id"]`).
    pub fn key<I, S>(mut self, key: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let name = &self.name;
        if let Some(key) = self
            .problems
            .check(|| format!("collection {name} key"), pointers(key))
        {
            self.def.key = key;
        }
        self
    }

    /// Projects a document location as a named field.
    pub fn projection(self, field: &str, location: &str) -> Self {
        self.project(field, location, false)
    }

    /// Projects a document location as a logical partition field.
    pub fn partition(self, field: &str, location: &str) -> Self {
        self.project(field, location, true)
    }

    fn project(mut self, field: &str, location: &str, partition: bool) -> Self {
        let name = &self.name;
        let f = self.problems.check(
            || format!("collection {name} projection"),
            Field::new(field),
        );
        let l = self.problems.check(
            || format!("collection {name} projection {field}"),
            crate::JsonPointer::new(location),
        );
        if let (Some(f), Some(l)) = (f, l) {
            let p = if partition {
                Projection::Extended {
                    location: l,
                    partition: true,
                }
            } else {
                Projection::Pointer(l)
            };
            self.def.projections.insert(f, p);
        }
        self
    }

    /// Sets the journal template.
    pub fn journals(mut self, journals: JournalTemplate) -> Self {
        self.def.journals = journals;
        self
    }

    /// Makes this collection a derivation.
    pub fn derive(mut self, derivation: DerivationBuilder) -> Self {
        let name = &self.name;
        let built = derivation.into_def();
        if let Some(d) = self
            .problems
            .check(|| format!("collection {name} derivation"), built)
        {
            self.def.derive = Some(d);
        }
        self
    }

    /// Expects this last publication id when publishing.
    pub fn expect_pub_id(mut self, id: &str) -> Self {
        let name = &self.name;
        self.def.expect_pub_id = self
            .problems
            .check(|| format!("collection {name} expectPubId"), Id::new(id));
        self
    }

    /// Marks the collection for deletion.
    pub fn delete(mut self) -> Self {
        self.def.delete = true;
        self
    }
}

impl Build for CollectionBuilder {
    fn build(self) -> Result<Spec> {
        let CollectionBuilder {
            name,
            def,
            mut problems,
        } = self;
        let typed = problems.check_name(crate::Collection::new(&name));
        problems.into_result()?;
        Ok(Spec::Collection(typed.expect("checked"), def))
    }
}
