// The CI/CD pipeline of Estuary's "flowctl in automated contexts" guide.
//
// A Stripe capture into two collections, a TypeScript derivation joining
// orders and customers, a Snowflake materialization, and a test of the line
// items' totals, derived both in SQLite and in TypeScript: the same catalog as
// `examples/python/cicd.py` and `examples/rust/src/cicd.rs`, written
// byte-for-byte the same.
//
// Usage: `Cicd [--plaintext-secrets] [--no-publish] [OUT_DIR]` (default
// `out/kotlin/cicd`; `scripts/example-kotlin.sh` builds and runs it). Builds
// the catalog, validates it, runs its test locally (both derivations of the
// totals), and writes `OUT_DIR/flow.yaml` and the derivations' TypeScript
// modules, with the Stripe token and the Snowflake private key encrypted with
// sops to a new age identity made in a temporary directory; then loads what
// was written, validates it, and decrypts it back with that identity. Last,
// unless `--no-publish`, it starts a local control plane, publishes the
// catalog to it (the secrets opened with that identity and re-encrypted by the
// control plane's config-encryption service), pulls it back into
// `OUT_DIR-pulled`, and checks that the two catalogs hold the same specs.
// `--plaintext-secrets` writes the secrets as plain `_sops` values instead
// (what `tests/golden/cicd/flow.yaml` holds).

import flowspec.*
import java.io.File
import java.io.IOException
import kotlin.io.path.createTempDirectory
import kotlin.system.exitProcess

/** The TypeScript module of the `customers-with-orders` derivation. */
private val FULL_OUTER_JOIN_TS = """
import {
    IDerivation,
    Document,
    SourceFromCustomers,
    SourceFromOrders,
} from "flow/acmeCo/customers-with-orders.ts";

// Joins customers and their orders. Documents of one customer are reduced
// by the collection schema's `merge` annotations, so each lambda publishes
// only what it knows.
export class Derivation extends IDerivation {
    fromOrders(read: { doc: SourceFromOrders }): Document[] {
        const { customer_id, order_id } = read.doc;
        return [{ customer_id, orders: [{ order_id }] }];
    }

    fromCustomers(read: { doc: SourceFromCustomers }): Document[] {
        const { customer_id, name } = read.doc;
        return [{ customer_id, name }];
    }
}
""".trimStart('\n')

/** The TypeScript module of the `line-item-totals-ts` derivation. */
private val LINE_ITEM_TOTALS_TS = """
import { IDerivation, Document, SourceFromLineItems } from "flow/acmeCo/line-item-totals-ts.ts";

// Totals each line item with its sales tax, in dollars: the TypeScript
// twin of the SQLite derivation acmeCo/line-item-totals.
export class Derivation extends IDerivation {
    fromLineItems(read: { doc: SourceFromLineItems }): Document[] {
        const { id, item, price, sales_tax } = read.doc;
        return [{ id, item, total: `${'$'}${'$'}{((price + sales_tax) / 100).toFixed(2)}` }];
    }
}
""".trimStart('\n')

/** The Snowflake private key of the example: a placeholder in PEM form. */
private const val SNOWFLAKE_PRIVATE_KEY =
    "-----BEGIN PRIVATE KEY-----\n" +
        "MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC7placeholder\n" +
        "-----END PRIVATE KEY-----\n"

/** The Stripe access token of the example: a placeholder. */
private const val STRIPE_ACCESS_TOKEN = "sk_test_placeholder"

/** The kinds of specs, as the catalog's YAML names their sections. */
private val KINDS = listOf(
    "capture" to "captures",
    "collection" to "collections",
    "materialization" to "materializations",
    "test" to "tests",
)

/**
 * Builds the CI/CD pipeline catalog, to live in [baseDir] (where its
 * TypeScript modules are; default: the current directory).
 */
private fun cicdCatalog(baseDir: String? = null): Catalog {
    val catalog = Catalog(baseDir = baseDir)

    catalog.capture(
        "acmeCo/ci-cd/source-stripe-native",
        image = "ghcr.io/estuary/source-stripe-native:dev",
        config = mapOf(
            "credentials" to mapOf(
                "credentials_title" to "Private App Credentials",
                "access_token" to secret(STRIPE_ACCESS_TOKEN),
            ),
        ),
    ).binding(
        mapOf("stream" to "charges", "syncMode" to "incremental"), target = "acmeCo/ci-cd/stripe_charges",
    ).binding(
        mapOf("stream" to "plans", "syncMode" to "full_refresh"), target = "acmeCo/ci-cd/stripe_plans",
    )

    catalog.collection(
        "acmeCo/ci-cd/stripe_charges",
        schema = mapOf(
            "type" to "object",
            "required" to listOf("id"),
            "properties" to mapOf(
                "id" to mapOf("type" to "string"),
                "created" to mapOf("type" to "string"),
                "amount" to mapOf("type" to "integer"),
                "currency" to mapOf("type" to "string"),
                "customer" to mapOf("type" to listOf("string", "null")),
            ),
        ),
        key = listOf("/id"),
    )
    catalog.collection(
        "acmeCo/ci-cd/stripe_plans",
        schema = mapOf(
            "type" to "object",
            "required" to listOf("id"),
            "properties" to mapOf(
                "id" to mapOf("type" to "string"),
                "active" to mapOf("type" to "boolean"),
                "interval" to mapOf("type" to "string"),
                "amount" to mapOf("type" to "integer"),
            ),
        ),
        key = listOf("/id"),
    )
    catalog.collection(
        "acmeCo/join-collections/orders",
        schema = mapOf(
            "type" to "object",
            "required" to listOf("order_id", "customer_id"),
            "properties" to mapOf(
                "order_id" to mapOf("type" to "string"),
                "customer_id" to mapOf("type" to "string"),
                "total" to mapOf("type" to "integer"),
            ),
        ),
        key = listOf("/order_id"),
    )
    catalog.collection(
        "acmeCo/join-collections/customers",
        schema = mapOf(
            "type" to "object",
            "required" to listOf("customer_id"),
            "properties" to mapOf(
                "customer_id" to mapOf("type" to "string"),
                "name" to mapOf("type" to "string"),
                "email" to mapOf("type" to "string"),
            ),
        ),
        key = listOf("/customer_id"),
    )

    catalog.derivation(
        "acmeCo/customers-with-orders",
        schema = mapOf(
            "type" to "object",
            "properties" to mapOf(
                "customer_id" to mapOf("type" to "string"),
                "name" to mapOf("type" to "string"),
                "orders" to mapOf(
                    "type" to "array",
                    "items" to mapOf(
                        "type" to "object",
                        "properties" to mapOf("order_id" to mapOf("type" to "string")),
                    ),
                    "reduce" to mapOf("strategy" to "merge", "key" to listOf("/order_id")),
                ),
            ),
            "required" to listOf("customer_id"),
            "reduce" to mapOf("strategy" to "merge"),
        ),
        key = listOf("/customer_id"),
        typescript = "full-outer-join.flow.ts",
    ).transform(
        "fromOrders", source = "acmeCo/join-collections/orders", shuffle = listOf("/customer_id"),
    ).transform(
        "fromCustomers", source = "acmeCo/join-collections/customers", shuffle = listOf("/customer_id"),
    )

    catalog.collection(
        "acmeCo/ci-cd/postgres_shipments",
        schema = mapOf(
            "type" to "object",
            "required" to listOf("id"),
            "properties" to mapOf(
                "id" to mapOf("type" to "integer"),
                "order_id" to mapOf("type" to "string"),
                "shipped_at" to mapOf("type" to "string", "format" to "date-time"),
            ),
        ),
        key = listOf("/id"),
    )

    catalog.materialization(
        "acmeCo/ci-cd/materialize-snowflake",
        image = "ghcr.io/estuary/materialize-snowflake:dev",
        config = mapOf(
            "host" to "orgname-accountname.snowflakecomputing.com",
            "database" to "estuary_db",
            "schema" to "estuary_schema",
            "credentials" to mapOf(
                "auth_type" to "jwt",
                "user" to "estuary_user",
                "privateKey" to secret(SNOWFLAKE_PRIVATE_KEY),
            ),
        ),
    ).binding(mapOf("table" to "shipments"), source = "acmeCo/ci-cd/postgres_shipments")

    catalog.collection(
        "acmeCo/line-items",
        schema = mapOf(
            "type" to "object",
            "required" to listOf("id", "item", "price", "sales_tax"),
            "properties" to mapOf(
                "id" to mapOf("type" to "string"),
                "item" to mapOf("type" to "string"),
                "price" to mapOf("type" to "integer", "description" to "Price in cents."),
                "sales_tax" to mapOf("type" to "integer", "description" to "Sales tax in cents."),
            ),
        ),
        key = listOf("/id"),
    )
    val totalsSchema = mapOf(
        "type" to "object",
        "required" to listOf("id", "item", "total"),
        "properties" to mapOf(
            "id" to mapOf("type" to "string"),
            "item" to mapOf("type" to "string"),
            "total" to mapOf("type" to "string", "description" to "Price plus tax, in dollars."),
        ),
    )
    val totals = listOf(
        mapOf("id" to "1", "item" to "popcorn", "total" to "\$5.24"),
        mapOf("id" to "2", "item" to "hot dog", "total" to "\$6.82"),
    )
    catalog.derivation(
        "acmeCo/line-item-totals",
        schema = totalsSchema,
        key = listOf("/id"),
        sqlite = emptyList<String>(),
    ).transform(
        "fromLineItems",
        source = "acmeCo/line-items",
        shuffle = listOf("/id"),
        lambda = "SELECT \$id AS id, \$item AS item,\n" +
            "  printf('\$%.2f', (\$price + \$sales_tax) / 100.0) AS total;\n",
    )

    catalog.derivation(
        "acmeCo/line-item-totals-ts",
        schema = totalsSchema,
        key = listOf("/id"),
        typescript = "line-item-totals.flow.ts",
    ).transform("fromLineItems", source = "acmeCo/line-items", shuffle = listOf("/id"))

    catalog.test(
        "acmeCo/tests/example", description = "Line items are totalled with their sales tax.",
    ).ingest(
        "acmeCo/line-items",
        listOf(
            mapOf("id" to "1", "item" to "popcorn", "price" to 499, "sales_tax" to 25),
            mapOf("id" to "2", "item" to "hot dog", "price" to 650, "sales_tax" to 32),
        ),
    ).verify("acmeCo/line-item-totals", totals).verify("acmeCo/line-item-totals-ts", totals)
    return catalog
}

/** The specs of a catalog with its file references inlined, by section and name. */
private fun bundled(catalog: Catalog): Map<String, Map<String, Any?>> =
    catalog.bundle().use { bundle ->
        KINDS.associate { (kind, section) ->
            section to bundle.names(kind).associateWith { bundle.getSpec(kind, it) }
        }
    }

/**
 * A spec as a secret-aware comparison sees it: without `expectPubId` and sops
 * metadata, every value of a `_sops` key standing for "a secret" whatever its
 * ciphertext.
 */
private fun comparable(spec: Any?): Any? = when (spec) {
    is Map<*, *> -> spec.filterKeys { it != "expectPubId" && it != "sops" }
        .mapValues { (key, value) -> if ((key as String).endsWith("_sops")) "<secret>" else comparable(value) }
    is List<*> -> spec.map(::comparable)
    else -> spec
}

/** How many values of `_sops` keys are sops ciphertext. */
private fun encryptedValues(value: Any?): Int = when (value) {
    is Map<*, *> -> value.entries.sumOf { (key, item) ->
        if ((key as String).endsWith("_sops") && item.toString().startsWith("ENC[")) 1 else encryptedValues(item)
    }
    is List<*> -> value.sumOf(::encryptedValues)
    else -> 0
}

/**
 * Publishes the written catalog to a local control plane (its secrets opened
 * with [keyFile] and re-encrypted by the control plane's service), pulls it
 * back into [pulledDir], and checks that both catalogs hold the same specs.
 */
private fun publishAndPull(target: File, keyFile: File, pulledDir: File) {
    Catalog.load(target.path).use { local ->
        LocalControlPlane().start().use { plane ->
            val published = local.publish(controlPlane = plane, source = target.path, keyFile = keyFile.path)
            val specs = published["specs"] as List<*>
            println(
                "published ${specs.size} specs to a local control plane (${plane.pgUrl}) " +
                    "as publication ${published["pubId"]}",
            )
            val pulled = pullSpecs(
                controlPlane = plane,
                prefixes = listOf("acmeCo/"),
                target = File(pulledDir, "flow.yaml").path,
            )
            println("pulled ${pulled["written"]} specs back into $pulledDir")
        }
        val back = Catalog.load(File(pulledDir, "flow.yaml").path).use(::bundled)
        val mine = bundled(local)
        val differ = KINDS.flatMap { (_, section) ->
            val ours = mine[section].orEmpty()
            val theirs = back[section].orEmpty()
            (ours.keys + theirs.keys).toSortedSet()
                .filter { comparable(ours[it]) != comparable(theirs[it]) }
                .map { "$section/$it" }
        }
        if (differ.isNotEmpty()) {
            val message = "the pulled catalog differs from the published one: ${differ.joinToString(", ")}"
            throw InternalFlowspecException(message, "internal", emptyList())
        }
        val secrets = encryptedValues(back)
        println("pulled catalog matches the published one ($secrets secrets encrypted by the control plane)")
    }
}

/** The value at a path of keys in nested maps. */
private fun at(value: Any?, vararg keys: String): Any? = keys.fold(value) { v, key -> (v as? Map<*, *>)?.get(key) }

/** Writes a TypeScript module (and its directory): the file. */
private fun writeModule(file: File, text: String): File = try {
    file.parentFile?.mkdirs()
    file.apply { writeText(text) }
} catch (e: IOException) {
    throw WriteException("cannot write $file: ${e.message}", "write", emptyList(), file.path)
}

/** Builds, validates and writes the pipeline, then checks what was written. */
private fun run(out: File, plaintextSecrets: Boolean, publish: Boolean) {
    // The catalog lives in `out`, beside its derivations' TypeScript modules:
    // its relative references resolve there.
    val module = writeModule(File(out, "full-outer-join.flow.ts"), FULL_OUTER_JOIN_TS)
    val totalsModule = writeModule(File(out, "line-item-totals.flow.ts"), LINE_ITEM_TOTALS_TS)

    cicdCatalog(baseDir = out.path).use { catalog ->
        catalog.validate().forEach { System.err.println("${it.scope}: ${it.message} [${it.code}]") }
        println(
            "${catalog.captures.size} captures, ${catalog.collections.size} collections, " +
                "${catalog.materializations.size} materializations, ${catalog.tests.size} tests: valid",
        )
        // The catalog's test, run here: the SQLite and TypeScript derivations
        // of the line items' totals, verified as Estuary verifies them.
        val results = catalog.runTests()
        print(results["report"])
        if (results["ok"] != true) {
            val failed = (results["tests"] as List<*>).map { it as Map<*, *> }
                .filter { it["passed"] != true }
                .map { it["test"] }
            throw ValidationException("failed tests: ${failed.joinToString(", ")}", "validation", emptyList())
        }

        val target = File(out, "flow.yaml")

        // A new age identity, only for this run.
        val keys = createTempDirectory("flowspec-cicd-").toFile()
        try {
            val keyFile = File(keys, "keys.txt")
            val recipient = if (plaintextSecrets) null else ageKeygen(keyFile.path)
            val written = when (recipient) {
                null -> catalog.write(target.path, layout = "flat", plaintextSecrets = true)
                else -> catalog.write(target.path, layout = "flat", recipients = listOf(recipient))
            }
            written.forEach { println("wrote $it") }
            println("wrote $module")
            println("wrote $totalsModule")

            Catalog.load(target.path).use { it.validate() }
            if (recipient == null) return
            println("secrets: encrypted to $recipient (a temporary age identity)")
            Catalog.load(target.path, decrypt = true, keyFile = keyFile.path).use { decrypted ->
                if (publish) publishAndPull(target, keyFile, File(out.path + "-pulled"))
                checkSecrets(decrypted)
            }
        } finally {
            keys.deleteRecursively()
        }
    }
}

/** Checks that the secrets of the decrypted catalog are the ones it was built with. */
private fun checkSecrets(decrypted: Catalog) {
    val stripe = decrypted.captures.getValue("acmeCo/ci-cd/source-stripe-native").spec
    val snowflake = decrypted.materializations.getValue("acmeCo/ci-cd/materialize-snowflake").spec
    // Decrypted, a secret is the plaintext value of its `_sops` key.
    val secrets = listOf(
        at(stripe, "endpoint", "connector", "config", "credentials", "access_token_sops"),
        at(snowflake, "endpoint", "connector", "config", "credentials", "privateKey_sops"),
    )
    if (secrets != listOf(STRIPE_ACCESS_TOKEN, SNOWFLAKE_PRIVATE_KEY)) {
        throw SecretsException("the decrypted secrets differ from the ones built", "catalog_secrets", emptyList())
    }
    println("secrets: ${secrets.size} configs decrypt back to the catalog as built")
}

fun main(args: Array<String>) {
    val flags = setOf("--plaintext-secrets", "--no-publish")
    val dirs = args.filter { it !in flags }
    if (dirs.any { it.startsWith("-") } || dirs.size > 1) {
        System.err.println("usage: Cicd [--plaintext-secrets] [--no-publish] [OUT_DIR]")
        exitProcess(2)
    }
    val out = File(dirs.firstOrNull() ?: "out/kotlin/cicd")
    try {
        run(out, plaintextSecrets = "--plaintext-secrets" in args, publish = "--no-publish" !in args)
    } catch (e: FlowspecException) {
        System.err.println("error[${e.code}]: ${e.message}")
        exitProcess(1)
    }
    exitProcess(0)
}
