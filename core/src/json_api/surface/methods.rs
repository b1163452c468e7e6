//! The methods of the uniffi bindings' idiomatic layers (Kotlin and Ruby):
//! for each call of the JSON API, where the method lives, what it takes
//! before its options, and which hand-written helper runs it. Both
//! languages' generated methods come from this one table and the schema;
//! their options are the call's option object, required ones first.

use serde_json::Value;

use super::{doc, properties, Schema};

/// Where a method lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Owner {
    /// A function of the package / module.
    Module,
    /// A factory of catalogs: Kotlin's `Catalog(...)`, Ruby's
    /// `Catalog.new(...)`.
    Constructor,
    /// A static method of `Catalog` (`Catalog.load`).
    CatalogStatic,
    /// A method of a handle or of the catalog, by class name.
    Class(&'static str),
}

/// What a method takes before its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lead {
    /// A required string (a name, a path).
    Text,
    /// An optional string.
    OptionalText,
    /// A JSON object (a document).
    Object,
}

/// One method.
#[derive(Debug, Clone, Copy)]
pub(super) struct Method {
    /// The call of the JSON API whose options it takes.
    pub call: &'static str,
    /// Where it lives.
    pub owner: Owner,
    /// Its name, in camelCase (Ruby spells it in snake_case).
    pub name: &'static str,
    /// What it takes before its options.
    pub lead: &'static [(&'static str, Lead)],
    /// The hand-written helper it calls with its leading arguments and the
    /// options, in camelCase.
    pub helper: &'static str,
    /// Its Kotlin return type.
    pub returns: &'static str,
    /// One line on what it does.
    pub summary: &'static str,
}

const NAME: &[(&str, Lead)] = &[("name", Lead::Text)];
const PATH: &[(&str, Lead)] = &[("path", Lead::Text)];
const DOCUMENT: &[(&str, Lead)] = &[("document", Lead::Object)];
const MAP: &str = "Map<String, Any?>";

const fn method(
    call: &'static str,
    owner: Owner,
    name: &'static str,
    lead: &'static [(&'static str, Lead)],
    helper: &'static str,
    returns: &'static str,
    summary: &'static str,
) -> Method {
    Method {
        call,
        owner,
        name,
        lead,
        helper,
        returns,
        summary,
    }
}

/// Every method, in the order the files list them.
pub(super) const METHODS: &[Method] = &[
    method("newCatalog", Owner::Constructor, "Catalog", &[], "newCatalog", "Catalog",
        "A new, empty catalog."),
    method("load", Owner::CatalogStatic, "load", PATH, "loadCatalog", "Catalog",
        "The catalog of a `flow.yaml` / `flow.json` file and its imports."),
    method("capture", Owner::Class("Catalog"), "capture", NAME, "addCapture", "Capture",
        "Adds a capture: a connector and its config, its bindings added with `binding`."),
    method("collection", Owner::Class("Catalog"), "collection", NAME, "addCollection", "Collection",
        "Adds a collection: its schema and key."),
    method("derivation", Owner::Class("Catalog"), "derivation", NAME, "addDerivation", "Derivation",
        "Adds a derivation: a collection derived by SQLite or TypeScript, its transforms added with `transform`."),
    method("materialization", Owner::Class("Catalog"), "materialization", NAME, "addMaterialization", "Materialization",
        "Adds a materialization: a connector and its config, its bindings added with `binding`."),
    method("test", Owner::Class("Catalog"), "test", NAME, "addTest", "Test",
        "Adds a test, its steps added with `ingest` and `verify`."),
    method("write", Owner::Class("Catalog"), "write", PATH, "writeCatalog", "List<String>",
        "Writes the catalog to `path` (its secrets encrypted): the files of the written catalog."),
    method("render", Owner::Class("Catalog"), "toYaml", &[], "renderYaml", "String",
        "The catalog as one YAML document, its secrets encrypted as `write` encrypts them."),
    method("render", Owner::Class("Catalog"), "toJson", &[], "renderJson", "String",
        "The catalog as one JSON document, its secrets encrypted as `write` encrypts them."),
    method("decryptSecrets", Owner::Class("Catalog"), "decryptSecrets", &[], "decryptCatalogSecrets", "Long",
        "Decrypts the catalog's sops-encrypted configs in place: how many were decrypted."),
    method("publish", Owner::Class("Catalog"), "publish", &[], "publishCatalog", MAP,
        "Publishes the catalog to a control plane, as `flowctl catalog publish`: the publication."),
    method("testRemote", Owner::Class("Catalog"), "testRemote", &[], "testCatalogRemotely", MAP,
        "Tests the catalog on a control plane, as `flowctl catalog test`: the dry-run publication."),
    method("plan", Owner::Class("Catalog"), "plan", &[], "planCatalog", MAP,
        "What publishing the catalog would change, spec by spec."),
    method("runTests", Owner::Class("Catalog"), "runTests", &[], "runCatalogTests", MAP,
        "Runs the catalog's tests locally, as Estuary runs them: the results and a report."),
    method("generate", Owner::Class("Catalog"), "generate", &[], "generateFiles", "List<Map<String, Any?>>",
        "Writes the TypeScript types and stubs of the catalog's derivations, as `flowctl generate`."),
    method("captureBinding", Owner::Class("Capture"), "binding", &[], "addBinding", "Capture",
        "Adds a binding: a resource of the source captured into a collection."),
    method("transform", Owner::Class("Derivation"), "transform", &[], "addTransform", "Derivation",
        "Adds a transform: a source collection, its shuffle and lambda."),
    method("materializationBinding", Owner::Class("Materialization"), "binding", &[], "addBinding", "Materialization",
        "Adds a binding: a collection materialized into a resource of the destination."),
    method("ingest", Owner::Class("Test"), "ingest", &[], "addIngest", "Test",
        "Adds a step that ingests documents into a collection."),
    method("verify", Owner::Class("Test"), "verify", &[], "addVerify", "Test",
        "Adds a step that verifies the documents of a collection."),
    method("encrypt", Owner::Module, "encrypt", DOCUMENT, "encryptDocument", MAP,
        "A document encrypted with sops and age, as `sops encrypt`."),
    method("decrypt", Owner::Module, "decrypt", DOCUMENT, "decryptDocument", MAP,
        "A sops document decrypted, as `sops decrypt`."),
    method("encryptFile", Owner::Module, "encryptFile", PATH, "encryptFileAt", "String",
        "Encrypts a YAML, JSON, dotenv or INI file with sops, in place or to `output`: the path written."),
    method("decryptFile", Owner::Module, "decryptFile", PATH, "decryptFileAt", MAP,
        "The plaintext of a sops file."),
    method("ageKeygen", Owner::Module, "ageKeygen", &[("path", Lead::OptionalText)], "generateAgeKey", "String",
        "Generates an age identity, written to `path` as `age-keygen -o` writes it: its public recipient."),
    method("pullSpecs", Owner::Module, "pullSpecs", &[], "pullLiveSpecs", MAP,
        "Pulls live specs into a catalog file, as `flowctl catalog pull-specs`."),
    method("pullSpecs", Owner::Module, "listSpecs", &[], "listLiveSpecs", "List<Map<String, Any?>>",
        "Lists live specs, as `flowctl catalog list`."),
];

/// An option of a method: its key, schema, whether it is required, and
/// its doc.
pub(super) struct Param<'a> {
    pub key: &'a str,
    pub schema: &'a Value,
    pub required: bool,
    pub doc: String,
}

/// The options of a method's call, required ones first (each group in the
/// schema's order). `listSpecs` takes those of `pullSpecs` that select
/// specs, not those of the file they are pulled into.
pub(super) fn params<'a>(schema: &'a Schema, method: &Method) -> Vec<Param<'a>> {
    let def = schema.def(schema.options_of(method.call));
    let mut params: Vec<Param> = properties(def)
        .into_iter()
        .filter(|(key, _, _)| {
            !(method.name == "listSpecs" && ["target", "overwrite", "flat"].contains(key))
        })
        .map(|(key, schema, required)| Param {
            key,
            schema,
            required,
            doc: doc(schema),
        })
        .collect();
    params.sort_by_key(|p| !p.required);
    for p in &params {
        assert!(
            !method.lead.iter().any(|(name, _)| *name == p.key),
            "{}: the option `{}` has the name of an argument before it",
            method.name,
            p.key
        );
    }
    params
}

/// The doc of a method: its summary, then its options type's doc.
pub(super) fn method_doc(schema: &Schema, method: &Method) -> String {
    let def = schema.def(schema.options_of(method.call));
    let more = doc(def);
    if more.is_empty() {
        method.summary.to_string()
    } else {
        format!("{}\n\n{more}", method.summary)
    }
}

/// The first paragraph of a doc, on one line.
pub(super) fn first_paragraph(doc: &str) -> String {
    doc.split("\n\n")
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
