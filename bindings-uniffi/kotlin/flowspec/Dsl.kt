// The functions of flowspec that take options: one named argument per option
// of the core's option objects, generated from the core's schema.
@file:JvmName("Dsl")

package flowspec

// BEGIN GENERATED types
// Do not edit: change the core's types, then run `FLOWSPEC_BLESS=1 cargo test -p flowspec --lib json_api::surface`.

/**
 * A new, empty catalog.
 *
 * Options of `new_catalog`: where relative file references resolve
 * (`baseDir`), and the `root` they must stay in.
 *
 * @param baseDir The directory that relative file references of the catalog's specs (a schema file, a TypeScript module, ...) resolve against: typically the directory it will be written to. Default: the current directory.
 * @param root The directory file references must stay in. Default: the base directory.
 * @param denyOutsideRoot Refuse to read files outside of the root, rather than warn. Default `false`.
 */
@Throws(FlowspecException::class)
fun Catalog(
    baseDir: String? = null,
    root: String? = null,
    denyOutsideRoot: Boolean? = null,
): Catalog = newCatalog(
    options(
        "baseDir" to baseDir,
        "root" to root,
        "denyOutsideRoot" to denyOutsideRoot,
    ),
)

/**
 * The catalog of a `flow.yaml` / `flow.json` file and its imports.
 *
 * Options of `load`: `decrypt` (decrypt the encrypted configs after
 * loading), with the `identity` (text of age secret keys) or `keyFile` to
 * use, else the identities sops would find; the `root` directory file
 * references must stay in, and `denyOutsideRoot` to refuse those that do
 * not (see `LoadOptions`).
 *
 * @param path The file.
 * @param decrypt Decrypt the sops-encrypted configs after loading. Default `false`.
 * @param identity With `decrypt`: age secret keys, one `AGE-SECRET-KEY-1...` per line (`#` comments allowed).
 * @param keyFile With `decrypt`: a file of age secret keys.
 * @param root The directory file references must stay in. Default: the project root, as `flowctl generate` finds it (the file's directory, and up through each parent that also holds a `flow.yaml`).
 * @param denyOutsideRoot Refuse to read files outside of the root, rather than warn. Default `false`.
 */
@Throws(FlowspecException::class)
fun Catalog.Companion.load(
    path: String,
    decrypt: Boolean? = null,
    identity: String? = null,
    keyFile: String? = null,
    root: String? = null,
    denyOutsideRoot: Boolean? = null,
): Catalog = loadCatalog(
    path,
    options(
        "decrypt" to decrypt,
        "identity" to identity,
        "keyFile" to keyFile,
        "root" to root,
        "denyOutsideRoot" to denyOutsideRoot,
    ),
)

/**
 * Adds a capture: a connector and its config, its bindings added with `binding`.
 *
 * Options of a capture: `image` and `config` (or `local`), and the rest
 * of `CaptureDef`.
 *
 * @param name The spec's catalog name, like `acmeCo/source-postgres`.
 * @param image Connector image.
 * @param config Connector configuration (default `{}`): an object, or the relative URL of a file that holds it (sops-encrypted, typically).
 * @param local A local command instead of an image.
 * @param bindings Bindings (or add them with `binding`).
 * @param interval Interval between runs of connectors that exit, like `10m` (default `5m`).
 * @param autoDiscover Auto-discovery: `true` for the default settings, or the settings.
 * @param shards Shard template.
 * @param expectPubId Expected last publication id (16 hex digits).
 * @param delete Delete the capture.
 * @param reset Delete and re-create the capture in one publication.
 * @param redactSalt Salt for `sha256` redaction (base64).
 */
@Throws(FlowspecException::class)
fun Catalog.capture(
    name: String,
    image: String? = null,
    config: Any? = null,
    local: Any? = null,
    bindings: List<Any?>? = null,
    interval: String? = null,
    autoDiscover: Any? = null,
    shards: Any? = null,
    expectPubId: String? = null,
    delete: Boolean? = null,
    reset: Boolean? = null,
    redactSalt: String? = null,
): Capture = addCapture(
    name,
    options(
        "image" to image,
        "config" to config,
        "local" to local,
        "bindings" to bindings,
        "interval" to interval,
        "autoDiscover" to autoDiscover,
        "shards" to shards,
        "expectPubId" to expectPubId,
        "delete" to delete,
        "reset" to reset,
        "redactSalt" to redactSalt,
    ),
)

/**
 * Adds a collection: its schema and key.
 *
 * Options of a collection: the fields of `CollectionDef` but `derive`.
 *
 * @param name The spec's catalog name, like `acmeCo/source-postgres`.
 * @param key Composite key, as JSON pointers.
 * @param schema Schema of the documents: an object (or `true`), or the relative URL of a schema file. Or give `writeSchema` and `readSchema`.
 * @param writeSchema Schema of documents as they are written (with `readSchema`).
 * @param readSchema Schema of documents as they are read (with `writeSchema`).
 * @param projections Projections: field name to a JSON pointer or `{location, partition}`.
 * @param journals Journal template.
 * @param expectPubId Expected last publication id.
 * @param delete Delete the collection.
 */
@Throws(FlowspecException::class)
fun Catalog.collection(
    name: String,
    key: List<String>,
    schema: Any? = null,
    writeSchema: Any? = null,
    readSchema: Any? = null,
    projections: Any? = null,
    journals: Any? = null,
    expectPubId: String? = null,
    delete: Boolean? = null,
): Collection = addCollection(
    name,
    options(
        "key" to key,
        "schema" to schema,
        "writeSchema" to writeSchema,
        "readSchema" to readSchema,
        "projections" to projections,
        "journals" to journals,
        "expectPubId" to expectPubId,
        "delete" to delete,
    ),
)

/**
 * Adds a derivation: a collection derived by SQLite or TypeScript, its transforms added with `transform`.
 *
 * Options of a derivation: a collection's options, exactly one runtime
 * (`typescript`, `sqlite`, `python`, `connector`, `local` or the model's
 * `using`), and the rest of `Derivation`.
 *
 * @param name The spec's catalog name, like `acmeCo/source-postgres`.
 * @param key Composite key, as JSON pointers.
 * @param schema Schema of the documents: an object (or `true`), or the relative URL of a schema file. Or give `writeSchema` and `readSchema`.
 * @param writeSchema Schema of documents as they are written (with `readSchema`).
 * @param readSchema Schema of documents as they are read (with `writeSchema`).
 * @param projections Projections: field name to a JSON pointer or `{location, partition}`.
 * @param journals Journal template.
 * @param expectPubId Expected last publication id.
 * @param delete Delete the derivation.
 * @param typescript TypeScript: the module's file URL (or code), or `{module}`.
 * @param sqlite SQLite: the migrations (file URLs or SQL; `[]` for none), or `{migrations}`.
 * @param python Python: the module's file URL (or code), or `{module, dependencies}`.
 * @param connector A derivation connector image and its config.
 * @param local A local command.
 * @param using The runtime in the model's form, like `{sqlite: {migrations: []}}`.
 * @param transforms Transforms (or add them with `transform`).
 * @param shuffleKeyTypes Types of the shuffle key's components, when they cannot be inferred.
 * @param shards Shard template.
 * @param redactSalt Salt for `sha256` redaction (base64).
 */
@Throws(FlowspecException::class)
fun Catalog.derivation(
    name: String,
    key: List<String>,
    schema: Any? = null,
    writeSchema: Any? = null,
    readSchema: Any? = null,
    projections: Any? = null,
    journals: Any? = null,
    expectPubId: String? = null,
    delete: Boolean? = null,
    typescript: Any? = null,
    sqlite: Any? = null,
    python: Any? = null,
    connector: Any? = null,
    local: Any? = null,
    using: Any? = null,
    transforms: List<Any?>? = null,
    shuffleKeyTypes: List<String>? = null,
    shards: Any? = null,
    redactSalt: String? = null,
): Derivation = addDerivation(
    name,
    options(
        "key" to key,
        "schema" to schema,
        "writeSchema" to writeSchema,
        "readSchema" to readSchema,
        "projections" to projections,
        "journals" to journals,
        "expectPubId" to expectPubId,
        "delete" to delete,
        "typescript" to typescript,
        "sqlite" to sqlite,
        "python" to python,
        "connector" to connector,
        "local" to local,
        "using" to using,
        "transforms" to transforms,
        "shuffleKeyTypes" to shuffleKeyTypes,
        "shards" to shards,
        "redactSalt" to redactSalt,
    ),
)

/**
 * Adds a materialization: a connector and its config, its bindings added with `binding`.
 *
 * Options of a materialization: `image` and `config` (or `dekaf` or
 * `local`), and the rest of `MaterializationDef`.
 *
 * @param name The spec's catalog name, like `acmeCo/source-postgres`.
 * @param image Connector image.
 * @param config Connector configuration (default `{}`): an object, or the relative URL of a file that holds it.
 * @param dekaf Dekaf instead of an image.
 * @param local A local command instead of an image.
 * @param sourceCapture Capture whose bindings are materialized: a name or its settings (`source` is an older spelling).
 * @param onIncompatibleSchemaChange What to do when a source schema changes incompatibly (default `backfill`).
 * @param bindings Bindings (or add them with `binding`).
 * @param shards Shard template.
 * @param expectPubId Expected last publication id.
 * @param delete Delete the materialization.
 */
@Throws(FlowspecException::class)
fun Catalog.materialization(
    name: String,
    image: String? = null,
    config: Any? = null,
    dekaf: Any? = null,
    local: Any? = null,
    sourceCapture: Any? = null,
    onIncompatibleSchemaChange: String? = null,
    bindings: List<Any?>? = null,
    shards: Any? = null,
    expectPubId: String? = null,
    delete: Boolean? = null,
): Materialization = addMaterialization(
    name,
    options(
        "image" to image,
        "config" to config,
        "dekaf" to dekaf,
        "local" to local,
        "sourceCapture" to sourceCapture,
        "onIncompatibleSchemaChange" to onIncompatibleSchemaChange,
        "bindings" to bindings,
        "shards" to shards,
        "expectPubId" to expectPubId,
        "delete" to delete,
    ),
)

/**
 * Adds a test, its steps added with `ingest` and `verify`.
 *
 * Options of a test.
 *
 * @param name The spec's catalog name, like `acmeCo/source-postgres`.
 * @param description What the test checks.
 * @param steps Steps in the model's form (or add them with `ingest` and `verify`).
 * @param expectPubId Expected last publication id.
 * @param delete Delete the test.
 */
@Throws(FlowspecException::class)
fun Catalog.test(
    name: String,
    description: String? = null,
    steps: List<Any?>? = null,
    expectPubId: String? = null,
    delete: Boolean? = null,
): Test = addTest(
    name,
    options(
        "description" to description,
        "steps" to steps,
        "expectPubId" to expectPubId,
        "delete" to delete,
    ),
)

/**
 * Writes the catalog to `path` (its secrets encrypted): the files of the written catalog.
 *
 * Options of writing a catalog: `{layout, recipients, plaintextSecrets}`;
 * `flat`, recipients from the environment or `.sops.yaml`, and secrets
 * encrypted by default.
 *
 * @param path The file.
 * @param layout `flat` (default): everything in the one file. `canonical`: the split layout of `flowctl catalog pull-specs`, one directory per name prefix.
 * @param recipients age recipients (`age1...`) of the configs holding secrets. Default: `SOPS_AGE_RECIPIENTS`, then the `.sops.yaml` creation rule matching the written file.
 * @param plaintextSecrets Write secrets in plaintext (as `_sops` keys) instead of failing when there is no recipient. Default `false`.
 * @param prune Remove the files of the catalog previously written at the target that the written catalog no longer uses. Default `false`: they are left, and named in a warning.
 */
@Throws(FlowspecException::class)
fun Catalog.write(
    path: String,
    layout: String? = null,
    recipients: List<String>? = null,
    plaintextSecrets: Boolean? = null,
    prune: Boolean? = null,
): List<String> = writeCatalog(
    path,
    options(
        "layout" to layout,
        "recipients" to recipients,
        "plaintextSecrets" to plaintextSecrets,
        "prune" to prune,
    ),
)

/**
 * The catalog as one YAML document, its secrets encrypted as `write` encrypts them.
 *
 * Options of rendering a catalog as one document (`render`:
 * `toYaml` / `to_yaml` and `toJson` / `to_json` in the bindings):
 * `{recipients, plaintextSecrets}`.
 *
 * @param recipients age recipients (`age1...`) of the configs holding secrets. Default: `SOPS_AGE_RECIPIENTS`, then the `.sops.yaml` creation rule matching `flow.yaml` in the current directory.
 * @param plaintextSecrets Render secrets in plaintext (as `_sops` keys) instead of failing when there is no recipient. Default `false`.
 */
@Throws(FlowspecException::class)
fun Catalog.toYaml(
    recipients: List<String>? = null,
    plaintextSecrets: Boolean? = null,
): String = renderYaml(
    options(
        "recipients" to recipients,
        "plaintextSecrets" to plaintextSecrets,
    ),
)

/**
 * The catalog as one JSON document, its secrets encrypted as `write` encrypts them.
 *
 * Options of rendering a catalog as one document (`render`:
 * `toYaml` / `to_yaml` and `toJson` / `to_json` in the bindings):
 * `{recipients, plaintextSecrets}`.
 *
 * @param recipients age recipients (`age1...`) of the configs holding secrets. Default: `SOPS_AGE_RECIPIENTS`, then the `.sops.yaml` creation rule matching `flow.yaml` in the current directory.
 * @param plaintextSecrets Render secrets in plaintext (as `_sops` keys) instead of failing when there is no recipient. Default `false`.
 */
@Throws(FlowspecException::class)
fun Catalog.toJson(
    recipients: List<String>? = null,
    plaintextSecrets: Boolean? = null,
): String = renderJson(
    options(
        "recipients" to recipients,
        "plaintextSecrets" to plaintextSecrets,
    ),
)

/**
 * Decrypts the catalog's sops-encrypted configs in place: how many were decrypted.
 *
 * Options of `decrypt_secrets`: the identities to use, as for
 * `DecryptOptions`. A catalog keeps its `_sops` keys, so that writing it
 * encrypts them again: there is no `stripSuffix`.
 *
 * @param identity age secret keys, one `AGE-SECRET-KEY-1...` per line (`#` comments allowed).
 * @param keyFile A file of age secret keys.
 */
@Throws(FlowspecException::class)
fun Catalog.decryptSecrets(
    identity: String? = null,
    keyFile: String? = null,
): Long = decryptCatalogSecrets(
    options(
        "identity" to identity,
        "keyFile" to keyFile,
    ),
)

/**
 * Publishes the catalog to a control plane, as `flowctl catalog publish`: the publication.
 *
 * Options of `publish` and `test_remote`.
 *
 * @param profile A flowctl profile (else `FLOWCTL_PROFILE`, else `default`).
 * @param controlPlane A control plane by endpoints and token, rather than a profile.
 * @param defaultDataPlane The data plane of specs that are not live yet.
 * @param keepSops Stage sops-encrypted configs as they are rather than re-encrypting them through the control plane's service.
 * @param source The catalog file whose `.sops.yaml` rules apply (default: the current directory's `flow.yaml`).
 * @param identity age secret keys that open sops-encrypted configs (else `keyFile`, else those sops finds), which are then re-encrypted by the control plane's service.
 * @param keyFile A file of age secret keys, as `identity`.
 * @param updatePubIds After a publication of a catalog loaded from files, set `expectPubId` in them to the new publication id, where published specs carry one (default true).
 */
@Throws(FlowspecException::class)
fun Catalog.publish(
    profile: String? = null,
    controlPlane: Any? = null,
    defaultDataPlane: String? = null,
    keepSops: Boolean? = null,
    source: String? = null,
    identity: String? = null,
    keyFile: String? = null,
    updatePubIds: Boolean? = null,
): Map<String, Any?> = publishCatalog(
    options(
        "profile" to profile,
        "controlPlane" to controlPlane,
        "defaultDataPlane" to defaultDataPlane,
        "keepSops" to keepSops,
        "source" to source,
        "identity" to identity,
        "keyFile" to keyFile,
        "updatePubIds" to updatePubIds,
    ),
)

/**
 * Tests the catalog on a control plane, as `flowctl catalog test`: the dry-run publication.
 *
 * Options of `publish` and `test_remote`.
 *
 * @param profile A flowctl profile (else `FLOWCTL_PROFILE`, else `default`).
 * @param controlPlane A control plane by endpoints and token, rather than a profile.
 * @param defaultDataPlane The data plane of specs that are not live yet.
 * @param keepSops Stage sops-encrypted configs as they are rather than re-encrypting them through the control plane's service.
 * @param source The catalog file whose `.sops.yaml` rules apply (default: the current directory's `flow.yaml`).
 * @param identity age secret keys that open sops-encrypted configs (else `keyFile`, else those sops finds), which are then re-encrypted by the control plane's service.
 * @param keyFile A file of age secret keys, as `identity`.
 * @param updatePubIds After a publication of a catalog loaded from files, set `expectPubId` in them to the new publication id, where published specs carry one (default true).
 */
@Throws(FlowspecException::class)
fun Catalog.testRemote(
    profile: String? = null,
    controlPlane: Any? = null,
    defaultDataPlane: String? = null,
    keepSops: Boolean? = null,
    source: String? = null,
    identity: String? = null,
    keyFile: String? = null,
    updatePubIds: Boolean? = null,
): Map<String, Any?> = testCatalogRemotely(
    options(
        "profile" to profile,
        "controlPlane" to controlPlane,
        "defaultDataPlane" to defaultDataPlane,
        "keepSops" to keepSops,
        "source" to source,
        "identity" to identity,
        "keyFile" to keyFile,
        "updatePubIds" to updatePubIds,
    ),
)

/**
 * What publishing the catalog would change, spec by spec.
 *
 * Options of `plan`.
 *
 * @param profile A flowctl profile (else `FLOWCTL_PROFILE`, else `default`).
 * @param controlPlane A control plane by endpoints and token, rather than a profile.
 * @param source The catalog file whose `.sops.yaml` rules apply (default: the current directory's `flow.yaml`).
 * @param identity age secret keys that open sops-encrypted configs, on either side (else `keyFile`, else those sops finds).
 * @param keyFile A file of age secret keys, as `identity`.
 */
@Throws(FlowspecException::class)
fun Catalog.plan(
    profile: String? = null,
    controlPlane: Any? = null,
    source: String? = null,
    identity: String? = null,
    keyFile: String? = null,
): Map<String, Any?> = planCatalog(
    options(
        "profile" to profile,
        "controlPlane" to controlPlane,
        "source" to source,
        "identity" to identity,
        "keyFile" to keyFile,
    ),
)

/**
 * Runs the catalog's tests locally, as Estuary runs them: the results and a report.
 *
 * Options of `run_tests`.
 *
 * @param tests Run only the tests of these names; all tests when empty.
 * @param snapshot A directory to write the actual documents of each verify step to, as `<snapshot>/<test>/verify-<step>.json`.
 * @param shards How many shards each TypeScript derivation runs on (default 3).
 */
@Throws(FlowspecException::class)
fun Catalog.runTests(
    tests: List<String>? = null,
    snapshot: String? = null,
    shards: Long? = null,
): Map<String, Any?> = runCatalogTests(
    options(
        "tests" to tests,
        "snapshot" to snapshot,
        "shards" to shards,
    ),
)

/**
 * Writes the TypeScript types and stubs of the catalog's derivations, as `flowctl generate`.
 *
 * Options of `generate`.
 *
 * @param source The catalog file (default: the file the catalog was loaded from).
 * @param root The project root (default: the source's directory, up through each parent that also holds a `flow.yaml`).
 * @param dryRun Say what would be written, and write nothing.
 */
@Throws(FlowspecException::class)
fun Catalog.generate(
    source: String? = null,
    root: String? = null,
    dryRun: Boolean? = null,
): List<Map<String, Any?>> = generateFiles(
    options(
        "source" to source,
        "root" to root,
        "dryRun" to dryRun,
    ),
)

/**
 * Adds a binding: a resource of the source captured into a collection.
 *
 * Capture binding
 *
 * Binds an endpoint resource to a target collection.
 *
 * @param resource Endpoint resource to capture.
 * @param target Collection to capture into.
 * @param disable Disable this binding.
 * @param backfill Backfill counter.
 */
@Throws(FlowspecException::class)
fun Capture.binding(
    resource: Any,
    target: String,
    disable: Boolean? = null,
    backfill: Long? = null,
): Capture = addBinding(
    options(
        "resource" to resource,
        "target" to target,
        "disable" to disable,
        "backfill" to backfill,
    ),
)

/**
 * Adds a transform: a source collection, its shuffle and lambda.
 *
 * Options of a transform: `TransformDef`, with `source` as a name plus
 * optional `partitions`, `notBefore` and `notAfter`, and `shuffle` as
 * `"any"`, a list of key pointers, `{key}` or `{lambda}`.
 *
 * @param name Transform name, unique within the derivation.
 * @param source Source collection: a name, or `{name, partitions, notBefore, notAfter}`.
 * @param partitions Partitions of the source to read.
 * @param notBefore Read documents published at or after this time (RFC 3339).
 * @param notAfter Read documents published at or before this time (RFC 3339).
 * @param shuffle Shuffle: key pointers like `["/id"]`, `"any"`, `{key}` or `{lambda}`.
 * @param lambda Lambda: SQL or a file URL (SQLite), or the connector's form.
 * @param priority Priority over other transforms (default 0).
 * @param readDelay Delay before a document is read, like `1h`.
 * @param disable Disable the transform.
 * @param backfill Backfill counter.
 */
@Throws(FlowspecException::class)
fun Derivation.transform(
    name: String,
    source: Any,
    partitions: Any? = null,
    notBefore: String? = null,
    notAfter: String? = null,
    shuffle: Any? = null,
    lambda: Any? = null,
    priority: Long? = null,
    readDelay: String? = null,
    disable: Boolean? = null,
    backfill: Long? = null,
): Derivation = addTransform(
    options(
        "name" to name,
        "source" to source,
        "partitions" to partitions,
        "notBefore" to notBefore,
        "notAfter" to notAfter,
        "shuffle" to shuffle,
        "lambda" to lambda,
        "priority" to priority,
        "readDelay" to readDelay,
        "disable" to disable,
        "backfill" to backfill,
    ),
)

/**
 * Adds a binding: a collection materialized into a resource of the destination.
 *
 * Options of a materialization binding: `MaterializationBinding`, with
 * `source` as a name plus optional filters, and `fields` whose
 * `recommended` defaults to `true`.
 *
 * @param resource Endpoint resource, like `{table: "orders"}`, or a file URL.
 * @param source Source collection: a name, or `{name, partitions, notBefore, notAfter}`.
 * @param partitions Partitions of the source to read.
 * @param notBefore Read documents published at or after this time (RFC 3339).
 * @param notAfter Read documents published at or before this time (RFC 3339).
 * @param fields Field selection (`recommended` defaults to `true`).
 * @param priority Priority over other bindings (default 0).
 * @param backfill Backfill counter.
 * @param disable Disable the binding.
 * @param onIncompatibleSchemaChange What to do when this binding's source schema changes incompatibly.
 */
@Throws(FlowspecException::class)
fun Materialization.binding(
    resource: Any,
    source: Any,
    partitions: Any? = null,
    notBefore: String? = null,
    notAfter: String? = null,
    fields: Any? = null,
    priority: Long? = null,
    backfill: Long? = null,
    disable: Boolean? = null,
    onIncompatibleSchemaChange: String? = null,
): Materialization = addBinding(
    options(
        "resource" to resource,
        "source" to source,
        "partitions" to partitions,
        "notBefore" to notBefore,
        "notAfter" to notAfter,
        "fields" to fields,
        "priority" to priority,
        "backfill" to backfill,
        "disable" to disable,
        "onIncompatibleSchemaChange" to onIncompatibleSchemaChange,
    ),
)

/**
 * Adds a step that ingests documents into a collection.
 *
 * Options of an ingest step.
 *
 * @param collection Collection to ingest into.
 * @param documents Documents, or the URL of a fixture file.
 * @param description What the step does.
 */
@Throws(FlowspecException::class)
fun Test.ingest(
    collection: String,
    documents: Any,
    description: String? = null,
): Test = addIngest(
    options(
        "collection" to collection,
        "documents" to documents,
        "description" to description,
    ),
)

/**
 * Adds a step that verifies the documents of a collection.
 *
 * Options of a verify step.
 *
 * @param collection Collection to verify: a name, or `{name, partitions}`.
 * @param documents Expected documents, or the URL of a fixture file.
 * @param partitions Partitions to verify.
 * @param description What the step checks.
 */
@Throws(FlowspecException::class)
fun Test.verify(
    collection: Any,
    documents: Any,
    partitions: Any? = null,
    description: String? = null,
): Test = addVerify(
    options(
        "collection" to collection,
        "documents" to documents,
        "partitions" to partitions,
        "description" to description,
    ),
)

/**
 * A document encrypted with sops and age, as `sops encrypt`.
 *
 * Options of `encrypt` (a document), as sops' flags: `recipients` (age
 * public keys), at most one rule, `macOnlyEncrypted`, and the `path` whose
 * `.sops.yaml` creation rule applies.
 *
 * Without recipients, `SOPS_AGE_RECIPIENTS` and then the `.sops.yaml`
 * creation rule matching `path` are used.
 *
 * @param document The document, as maps, lists and scalars.
 * @param recipients age recipients (`age1...`). Default: `SOPS_AGE_RECIPIENTS`, then the `.sops.yaml` creation rule matching `path`.
 * @param encryptedSuffix Encrypt only the values under keys with this suffix, like `_sops`.
 * @param unencryptedSuffix Encrypt every value but those under keys with this suffix.
 * @param encryptedRegex Encrypt only the values under keys matching this regex.
 * @param unencryptedRegex Encrypt every value but those under keys matching this regex.
 * @param macOnlyEncrypted Compute the MAC over the encrypted values only, so that plaintext values can be edited. Default `false`.
 * @param path The file whose `.sops.yaml` creation rule applies (no file is read).
 */
@Throws(FlowspecException::class)
fun encrypt(
    document: Map<String, Any?>,
    recipients: List<String>? = null,
    encryptedSuffix: String? = null,
    unencryptedSuffix: String? = null,
    encryptedRegex: String? = null,
    unencryptedRegex: String? = null,
    macOnlyEncrypted: Boolean? = null,
    path: String? = null,
): Map<String, Any?> = encryptDocument(
    document,
    options(
        "recipients" to recipients,
        "encryptedSuffix" to encryptedSuffix,
        "unencryptedSuffix" to unencryptedSuffix,
        "encryptedRegex" to encryptedRegex,
        "unencryptedRegex" to unencryptedRegex,
        "macOnlyEncrypted" to macOnlyEncrypted,
        "path" to path,
    ),
)

/**
 * A sops document decrypted, as `sops decrypt`.
 *
 * Options of `decrypt` (a document): `identity` (the text of age secret
 * keys) or `keyFile`, else the identities found as sops finds them
 * (`SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD`,
 * `~/.config/sops/age/keys.txt`); `stripSuffix` removes Estuary's `_sops`
 * suffix from keys.
 *
 * @param document The document, as maps, lists and scalars.
 * @param identity age secret keys, one `AGE-SECRET-KEY-1...` per line (`#` comments allowed).
 * @param keyFile A file of age secret keys.
 * @param stripSuffix Remove the file's `encrypted_suffix` (like `_sops`) from every key, as Estuary's runtime does. Default `false`.
 */
@Throws(FlowspecException::class)
fun decrypt(
    document: Map<String, Any?>,
    identity: String? = null,
    keyFile: String? = null,
    stripSuffix: Boolean? = null,
): Map<String, Any?> = decryptDocument(
    document,
    options(
        "identity" to identity,
        "keyFile" to keyFile,
        "stripSuffix" to stripSuffix,
    ),
)

/**
 * Encrypts a YAML, JSON, dotenv or INI file with sops, in place or to `output`: the path written.
 *
 * Options of `encrypt_file`: those of `EncryptOptions` but `path`,
 * plus the file's format (`inputType`, else from its extension) and
 * `inPlace`.
 *
 * @param path The file.
 * @param recipients age recipients (`age1...`). Default: `SOPS_AGE_RECIPIENTS`, then the `.sops.yaml` creation rule matching the file.
 * @param encryptedSuffix Encrypt only the values under keys with this suffix, like `_sops`.
 * @param unencryptedSuffix Encrypt every value but those under keys with this suffix.
 * @param encryptedRegex Encrypt only the values under keys matching this regex.
 * @param unencryptedRegex Encrypt every value but those under keys matching this regex.
 * @param macOnlyEncrypted Compute the MAC over the encrypted values only. Default `false`.
 * @param inputType The file's format. Default: from its extension.
 * @param inPlace Replace the file with the encrypted text (atomically). Default `false`.
 */
@Throws(FlowspecException::class)
fun encryptFile(
    path: String,
    recipients: List<String>? = null,
    encryptedSuffix: String? = null,
    unencryptedSuffix: String? = null,
    encryptedRegex: String? = null,
    unencryptedRegex: String? = null,
    macOnlyEncrypted: Boolean? = null,
    inputType: String? = null,
    inPlace: Boolean? = null,
): String = encryptFileAt(
    path,
    options(
        "recipients" to recipients,
        "encryptedSuffix" to encryptedSuffix,
        "unencryptedSuffix" to unencryptedSuffix,
        "encryptedRegex" to encryptedRegex,
        "unencryptedRegex" to unencryptedRegex,
        "macOnlyEncrypted" to macOnlyEncrypted,
        "inputType" to inputType,
        "inPlace" to inPlace,
    ),
)

/**
 * The plaintext of a sops file.
 *
 * Options of `decrypt_file`: those of `DecryptOptions`, plus the
 * file's format (`inputType`, else from its extension).
 *
 * @param path The file.
 * @param identity age secret keys, one `AGE-SECRET-KEY-1...` per line (`#` comments allowed).
 * @param keyFile A file of age secret keys.
 * @param stripSuffix Remove the file's `encrypted_suffix` from every key. Default `false`.
 * @param inputType The file's format. Default: from its extension.
 */
@Throws(FlowspecException::class)
fun decryptFile(
    path: String,
    identity: String? = null,
    keyFile: String? = null,
    stripSuffix: Boolean? = null,
    inputType: String? = null,
): Map<String, Any?> = decryptFileAt(
    path,
    options(
        "identity" to identity,
        "keyFile" to keyFile,
        "stripSuffix" to stripSuffix,
        "inputType" to inputType,
    ),
)

/**
 * Generates an age identity, written to `path` as `age-keygen -o` writes it: its public recipient.
 *
 * Options of the bindings' `age_keygen` / `ageKeygen` (see `age_keygen`).
 *
 * @param path The file.
 * @param overwrite Replace an existing file. Default `false`.
 */
@Throws(FlowspecException::class)
fun ageKeygen(
    path: String? = null,
    overwrite: Boolean? = null,
): String = generateAgeKey(
    path,
    options(
        "overwrite" to overwrite,
    ),
)

/**
 * Pulls live specs into a catalog file, as `flowctl catalog pull-specs`.
 *
 * Options of `pull_specs` and `list`.
 *
 * @param profile A flowctl profile (else `FLOWCTL_PROFILE`, else `default`).
 * @param controlPlane A control plane by endpoints and token, rather than a profile.
 * @param names Exact catalog names.
 * @param prefixes Name prefixes.
 * @param kinds Kinds to include (`capture`, `collection`, `materialization`, `test`); none: all.
 * @param target The catalog file to pull into (default `flow.yaml`); not used by `list`.
 * @param overwrite Replace specs already in the local files, in place.
 * @param flat Write new specs into the target file rather than a `flow.yaml` per prefix.
 */
@Throws(FlowspecException::class)
fun pullSpecs(
    profile: String? = null,
    controlPlane: Any? = null,
    names: List<String>? = null,
    prefixes: List<String>? = null,
    kinds: List<String>? = null,
    target: String? = null,
    overwrite: Boolean? = null,
    flat: Boolean? = null,
): Map<String, Any?> = pullLiveSpecs(
    options(
        "profile" to profile,
        "controlPlane" to controlPlane,
        "names" to names,
        "prefixes" to prefixes,
        "kinds" to kinds,
        "target" to target,
        "overwrite" to overwrite,
        "flat" to flat,
    ),
)

/**
 * Lists live specs, as `flowctl catalog list`.
 *
 * Options of `pull_specs` and `list`.
 *
 * @param profile A flowctl profile (else `FLOWCTL_PROFILE`, else `default`).
 * @param controlPlane A control plane by endpoints and token, rather than a profile.
 * @param names Exact catalog names.
 * @param prefixes Name prefixes.
 * @param kinds Kinds to include (`capture`, `collection`, `materialization`, `test`); none: all.
 */
@Throws(FlowspecException::class)
fun listSpecs(
    profile: String? = null,
    controlPlane: Any? = null,
    names: List<String>? = null,
    prefixes: List<String>? = null,
    kinds: List<String>? = null,
): List<Map<String, Any?>> = listLiveSpecs(
    options(
        "profile" to profile,
        "controlPlane" to controlPlane,
        "names" to names,
        "prefixes" to prefixes,
        "kinds" to kinds,
    ),
)
// END GENERATED types
