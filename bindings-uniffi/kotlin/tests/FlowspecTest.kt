// The Kotlin binding's tests: catalogs built and rendered byte for byte,
// errors with their classes, codes, messages and scopes, secrets, files,
// and a local control plane.
//
// Run with JUnit 4: `org.junit.runner.JUnitCore FlowspecTest` (scripts/uniffi.sh).

import flowspec.*
import java.io.File
import kotlin.io.path.createTempDirectory
import kotlin.test.*
import org.junit.Test as JTest

/** What [block] prints to standard error. */
private fun stderrOf(block: () -> Unit): String {
    val saved = System.err
    val captured = java.io.ByteArrayOutputStream()
    System.setErr(java.io.PrintStream(captured, true, "UTF-8"))
    try {
        block()
    } finally {
        System.setErr(saved)
    }
    return captured.toString("UTF-8")
}

/** A new temporary directory for [block], removed after it. */
private fun <T> withTempDir(block: (File) -> T): T {
    val dir = createTempDirectory("flowspec-kotlin-").toFile()
    try {
        return block(dir)
    } finally {
        dir.deleteRecursively()
    }
}

private val OBJECT = mapOf("type" to "object")

private fun idSchema(type: String = "integer") =
    mapOf("type" to "object", "properties" to mapOf("id" to mapOf("type" to type)), "required" to listOf("id"))

/** A small shop: a capture with a secret, a collection, a SQLite derivation, a materialization and a test. */
private fun shop(catalog: Catalog): Catalog = catalog.apply {
    capture(
        "acmeCo/shop/source-postgres",
        image = "ghcr.io/estuary/source-postgres:v1",
        config = mapOf("address" to "db:5432", "password" to secret("hunter2")),
        interval = "10m",
    ).binding(mapOf("namespace" to "public", "stream" to "orders"), target = "acmeCo/shop/orders")
    collection(
        "acmeCo/shop/orders",
        key = listOf("/id"),
        schema = mapOf(
            "type" to "object",
            "properties" to mapOf("id" to mapOf("type" to "integer"), "total" to mapOf("type" to "number")),
            "required" to listOf("id"),
        ),
    )
    derivation("acmeCo/shop/big-orders", key = listOf("/id"), schema = idSchema(), sqlite = emptyList<String>())
        .transform(
            "fromOrders",
            source = "acmeCo/shop/orders",
            shuffle = listOf("/id"),
            lambda = "SELECT \$id WHERE \$total > 100;",
        )
    materialization(
        "acmeCo/shop/materialize-snowflake",
        image = "ghcr.io/estuary/materialize-snowflake:v1",
        config = mapOf("host" to "h", "warehouse" to "w"),
    ).binding(mapOf("table" to "big_orders"), source = "acmeCo/shop/big-orders")
    test("acmeCo/shop/tests/big", description = "Only big orders.")
        .ingest("acmeCo/shop/orders", listOf(mapOf("id" to 1, "total" to 50), mapOf("id" to 2, "total" to 150.5)))
        .verify("acmeCo/shop/big-orders", listOf(mapOf("id" to 2)))
}

private const val SHOP_YAML = """# yaml-language-server: ${'$'}schema=https://raw.githubusercontent.com/flowspec/flowspec/v0.1.0/flow.schema.json
captures:
  acmeCo/shop/source-postgres:
    endpoint:
      connector:
        image: ghcr.io/estuary/source-postgres:v1
        config:
          address: db:5432
          password_sops: hunter2
    bindings:
      - resource:
          namespace: public
          stream: orders
        target: acmeCo/shop/orders
    interval: 10m
collections:
  acmeCo/shop/big-orders:
    schema:
      type: object
      properties:
        id:
          type: integer
      required:
        - id
    key:
      - /id
    derive:
      using:
        sqlite:
          migrations: []
      transforms:
        - name: fromOrders
          source: acmeCo/shop/orders
          shuffle:
            key:
              - /id
          lambda: SELECT ${'$'}id WHERE ${'$'}total > 100;
  acmeCo/shop/orders:
    schema:
      type: object
      properties:
        id:
          type: integer
        total:
          type: number
      required:
        - id
    key:
      - /id
materializations:
  acmeCo/shop/materialize-snowflake:
    endpoint:
      connector:
        image: ghcr.io/estuary/materialize-snowflake:v1
        config:
          host: h
          warehouse: w
    bindings:
      - resource:
          table: big_orders
        source: acmeCo/shop/big-orders
tests:
  acmeCo/shop/tests/big:
    description: Only big orders.
    steps:
      - ingest:
          collection: acmeCo/shop/orders
          documents:
            - id: 1
              total: 50
            - id: 2
              total: 150.5
      - verify:
          collection: acmeCo/shop/big-orders
          documents:
            - id: 2
"""

private val CODES: Set<String> by lazy { codes().map { it.code }.toSet() }

/** The exception [block] throws, checked to be a [FlowspecException] of a registered code. */
private inline fun <reified E : FlowspecException> fails(code: String, block: () -> Unit): E {
    val e = assertFailsWith<E> { block() }
    assertEquals(code, e.code)
    assertTrue(e.code in CODES, "${e.code} is a registered code")
    return e
}

class FlowspecTest {
    @JTest
    fun buildsACatalogAsExactYaml() {
        Catalog().use { catalog ->
            shop(catalog)
            assertEquals(emptyList(), catalog.validate())
            assertEquals(SHOP_YAML, catalog.toYaml(plaintextSecrets = true))
            assertEquals("Catalog(1 capture, 2 collections, 1 materialization, 1 test)", catalog.toString())
        }
    }

    @JTest
    fun rendersJson() {
        Catalog().use { catalog ->
            catalog.collection("acmeCo/y", key = listOf("/id"), schema = OBJECT)
            assertEquals(
                """
                {
                  "${'$'}schema": "https://raw.githubusercontent.com/flowspec/flowspec/v0.1.0/flow.schema.json",
                  "collections": {
                    "acmeCo/y": {
                      "schema": {
                        "type": "object"
                      },
                      "key": [
                        "/id"
                      ]
                    }
                  }
                }
                """.trimIndent(),
                catalog.toJson().trimEnd('\n'),
            )
        }
    }

    @JTest
    fun handlesReadTheirSpecsBack() {
        Catalog().use { catalog ->
            shop(catalog)
            assertEquals(listOf("acmeCo/shop/big-orders", "acmeCo/shop/orders"), catalog.names("collection"))
            val collections = catalog.collections
            assertIs<Derivation>(collections["acmeCo/shop/big-orders"])
            val orders = collections.getValue("acmeCo/shop/orders")
            assertFalse(orders is Derivation)
            assertEquals("Collection(acmeCo/shop/orders)", orders.toString())
            assertEquals(listOf("/id"), orders.spec["key"])
            assertEquals(orders, catalog.collections["acmeCo/shop/orders"])

            val capture = catalog.captures.getValue("acmeCo/shop/source-postgres")
            assertEquals("10m", capture.spec["interval"])
            val test = catalog.tests.getValue("acmeCo/shop/tests/big")
            val steps = test.spec["steps"] as List<*>
            // Integers read back as Long, other numbers as Double.
            assertEquals(
                listOf(mapOf("id" to 1L, "total" to 50L), mapOf("id" to 2L, "total" to 150.5)),
                at(steps[0], "ingest", "documents"),
            )

            assertTrue(orders.remove())
            assertFalse(orders.remove())
            assertEquals(null, catalog.getSpec("collection", "acmeCo/shop/orders"))
            val e = fails<InvalidSpecException>("reference_undefined") { orders.spec }
            assertEquals("collection acmeCo/shop/orders is not defined", e.message)
        }
    }

    @JTest
    fun valuesCrossAsJson() {
        Catalog().use { catalog ->
            val resource = mapOf(
                "string" to "quote \" backslash \\ newline \n tab \t bell \u0007 é ✓ 𝄞",
                "int" to 42,
                "long" to 9_007_199_254_740_993L,
                "big" to java.math.BigInteger("123456789012345678901234567890"),
                "double" to 2.5,
                "negative" to -7,
                "bool" to true,
                "null" to null,
                "list" to listOf(1, "two", listOf<Any>(), mapOf<String, Any>()),
                "array" to arrayOf("a", "b"),
            )
            catalog.capture("acmeCo/c", image = "i").binding(resource, target = "acmeCo/x")
            val bindings = catalog.captures.getValue("acmeCo/c").spec["bindings"] as List<*>
            val back = at(bindings[0], "resource")
            assertEquals(
                mapOf(
                    "string" to "quote \" backslash \\ newline \n tab \t bell \u0007 é ✓ 𝄞",
                    "int" to 42L,
                    "long" to 9_007_199_254_740_993L,
                    "big" to java.math.BigInteger("123456789012345678901234567890"),
                    "double" to 2.5,
                    "negative" to -7L,
                    "bool" to true,
                    "null" to null,
                    "list" to listOf(1L, "two", listOf<Any>(), mapOf<String, Any>()),
                    "array" to listOf("a", "b"),
                ),
                back,
            )
        }
    }

    @JTest
    fun runsCatalogTestsLocally() {
        Catalog().use { catalog ->
            shop(catalog)
            val results = catalog.runTests()
            assertEquals(true, results["ok"])
            assertEquals(1L, results["passed"])
            assertEquals(0L, results["failed"])
            assertEquals("Ran 1 tests, 1 passed, 0 failed", results["summary"])
            assertEquals(
                listOf(
                    mapOf(
                        "test" to "acmeCo/shop/tests/big",
                        "scope" to "flow://catalog#/tests/acmeCo~1shop~1tests~1big",
                        "path" to "flow://catalog",
                        "passed" to true,
                    ),
                ),
                results["tests"],
            )

            catalog.test("acmeCo/shop/tests/wrong")
                .ingest("acmeCo/shop/orders", listOf(mapOf("id" to 3, "total" to 500)))
                .verify("acmeCo/shop/big-orders", listOf(mapOf("id" to 4)))
            val failing = catalog.runTests(tests = listOf("acmeCo/shop/tests/wrong"))
            assertEquals(false, failing["ok"])
            assertEquals(0L, failing["passed"])
            assertEquals(1L, failing["failed"])
            assertEquals(listOf(false), (failing["tests"] as List<*>).map { (it as Map<*, *>)["passed"] })
        }
    }

    @JTest
    fun validationErrorsCarryCodesAndScopes() {
        Catalog().use { catalog ->
            catalog.collection("acmeCo/x", key = listOf(), schema = OBJECT)
            val e = fails<ValidationException>("validation") { catalog.validate() }
            val message = "collection acmeCo/x key cannot be empty (https://go.estuary.dev/Zq6zVB)"
            assertEquals(
                "the catalog is invalid: 1 problem\n  flow://catalog#/collections/acmeCo~1x/key: $message",
                e.message,
            )
            assertEquals(1, e.diagnostics.size)
            val d = e.diagnostics[0]
            assertEquals("flow://catalog#/collections/acmeCo~1x/key", d.scope)
            assertEquals("key_empty", d.code)
            assertEquals("error", d.severity)
            assertEquals(message, d.message)
        }
    }

    @JTest
    fun validationListsEveryProblem() {
        Catalog().use { catalog ->
            catalog.capture("acmeCo/c", image = "i").binding(mapOf("stream" to "a"), target = "acmeCo/nope")
            catalog.collection("acmeCo/x", key = listOf("/id"), schema = OBJECT)
            catalog.test("acmeCo/t").ingest("acmeCo/x", listOf<Any?>(null))
            val e = fails<ValidationException>("validation") { catalog.validate() }
            assertEquals(
                listOf(
                    "flow://catalog#/captures/acmeCo~1c/bindings/0/target" to "reference_undefined",
                    "flow://catalog#/collections/acmeCo~1x/key/0" to "key_unknown",
                    "flow://catalog#/tests/acmeCo~1t/steps/0/ingest/documents/0" to "test_document_invalid",
                ),
                e.diagnostics.map { it.scope to it.code },
            )
            assertTrue(e.message!!.startsWith("the catalog is invalid: 3 problems\n"))
            assertTrue(e.diagnostics.all { it.code in CODES })
        }
    }

    @JTest
    fun aConfigMustBeAnObject() {
        // Any JSON value is taken as a config when the capture is added; validation
        // requires an object.
        Catalog().use { catalog ->
            catalog.capture("acmeCo/x", image = "i", config = 5)
            val e = fails<ValidationException>("validation") { catalog.validate() }
            assertEquals(
                listOf("flow://catalog#/captures/acmeCo~1x/endpoint/connector/config" to "config_not_object"),
                e.diagnostics.map { it.scope to it.code },
            )
            assertEquals("capture acmeCo/x: the config must be an object, but it is a number", e.diagnostics[0].message)
        }
    }

    @JTest
    fun invalidNames() {
        Catalog().use { catalog ->
            var e = fails<InvalidNameException>("invalid_name") {
                catalog.collection("nope", key = listOf("/id"), schema = OBJECT)
            }
            assertEquals(
                "nope cannot be used as name for collection (it needs at least two `/`-separated parts, " +
                    "a tenant prefix and a name, like acmeCo/nope)",
                e.message,
            )
            assertEquals(emptyList(), e.diagnostics)
            e = fails("invalid_name") { catalog.capture("acmeCo/bad name", image = "i") }
            assertEquals("acmeCo/bad name cannot be used as name for capture (\" name\" is invalid)", e.message)
            e = fails("invalid_name") { catalog.collection("acmeCo/x", key = listOf("id"), schema = OBJECT) }
            assertEquals(
                "collection acmeCo/x: key[0]: \"id\" is not a valid JSON pointer (missing leading '/' slash)",
                e.message,
            )
            fails<InvalidNameException>("invalid_name") { catalog.test("acmeCo") }
            fails<InvalidNameException>("invalid_name") { catalog.materialization("acmeCo/x/", image = "i") }
            // Nothing was added.
            assertEquals("Catalog(0 captures, 0 collections, 0 materializations, 0 tests)", catalog.toString())
        }
    }

    @JTest
    fun wrongTypedOptions() {
        Catalog().use { catalog ->
            val cases: List<Pair<() -> Unit, String>> = listOf(
                { catalog.capture("acmeCo/x", image = "i", shards = "x"); Unit } to
                    "capture acmeCo/x: shards: invalid type: string \"x\", expected a shard template: " +
                    "an object {disable, minTxnDuration, maxTxnDuration, …}",
                { catalog.capture("acmeCo/x", image = "i", autoDiscover = "yes"); Unit } to
                    "capture acmeCo/x: autoDiscover: invalid type: string \"yes\", expected true, false, " +
                    "or an object {addNewBindings, evolveIncompatibleCollections}",
                { catalog.capture("acmeCo/x", image = "i", interval = "often"); Unit } to
                    "capture acmeCo/x: interval: \"often\" is not a valid duration (expected a number and a unit, " +
                    "like `30s`, `5m`, `48h` or `1d`)",
                { catalog.capture("acmeCo/x"); Unit } to
                    "capture acmeCo/x: no endpoint is given: give `image` (and `config`), or another endpoint",
                { catalog.capture("acmeCo/x", config = mapOf<String, Any>()); Unit } to
                    "capture acmeCo/x: `config` is given without an `image`",
                { catalog.test("acmeCo/t").ingest("acmeCo/x", 5); Unit } to
                    "test acmeCo/t step 0: documents: invalid type: integer `5`, expected an array of documents " +
                    "or the URL of a fixture file",
                { catalog.names("widget"); Unit } to
                    "kind: \"widget\" is not a kind of spec (capture, collection, materialization or test)",
            )
            for ((call, message) in cases) {
                val e = fails<InvalidSpecException>("invalid_spec") { call() }
                assertEquals(message, e.message)
            }
            catalog.derivation("acmeCo/d", key = listOf("/id"), schema = OBJECT, sqlite = emptyList<String>())
                .also { d ->
                    val e = fails<InvalidSpecException>("invalid_spec") {
                        d.transform("t", source = "acmeCo/x", shuffle = 5)
                    }
                    assertEquals(
                        "derivation acmeCo/d transform 0: shuffle: invalid type: integer `5`, expected `any`, " +
                            "a list of JSON pointers, or an object with one of `key` or `lambda`",
                        e.message,
                    )
                }
            withTempDir { dir ->
                val target = File(dir, "flow.yaml")
                val e = fails<InvalidSpecException>("invalid_spec") { catalog.write(target.path, layout = "split") }
                assertEquals(
                    "write $target: layout: unknown variant `split`, expected `flat` or `canonical`",
                    e.message,
                )
                assertFalse(target.exists())
            }
        }
    }

    @JTest
    fun nullsWhereNotAllowed() {
        Catalog().use { catalog ->
            val e = fails<InvalidSpecException>("invalid_spec") {
                catalog.collection("acmeCo/x", key = listOf("/id"), schema = OBJECT, projections = mapOf("a" to null))
            }
            assertEquals(
                "collection acmeCo/x: projections.a: invalid type: null, expected a JSON pointer or an object " +
                    "{location, partition}",
                e.message,
            )
            assertEquals(emptyList(), catalog.names("collection"))
        }
    }

    @JTest
    fun valuesThatAreNotJson() {
        Catalog().use { catalog ->
            var e = fails<InvalidSpecException>("invalid_spec") {
                catalog.capture("acmeCo/x", image = "i", config = mapOf("a" to Any()))
            }
            assertEquals("capture acmeCo/x: at /config/a: a kotlin.Any is not a JSON value", e.message)
            e = fails("invalid_spec") {
                catalog.capture("acmeCo/x", image = "i", config = mapOf("a" to listOf(Double.NaN)))
            }
            assertEquals("capture acmeCo/x: at /config/a/0: NaN is not a JSON number", e.message)
            e = fails("invalid_spec") { catalog.capture("acmeCo/x", image = "i", config = mapOf(1 to 2)) }
            assertEquals("capture acmeCo/x: at /config: a map key must be a string, not Int", e.message)
            // A map that contains itself reaches the core's nesting limit, not the JVM's stack.
            val loop = HashMap<String, Any?>()
            loop["self"] = loop
            e = fails("nesting_too_deep") { catalog.capture("acmeCo/x", image = "i", config = loop) }
            assertTrue(e.message!!.startsWith("capture acmeCo/x: at /config/self/self/"), e.message)
            assertTrue(e.message!!.endsWith("more than 100 levels deep, which a catalog cannot hold (does it contain itself?)"))
            var deep: Any? = "leaf"
            repeat(99) { deep = listOf(deep) }
            catalog.capture("acmeCo/deep", image = "i", config = mapOf("a" to deep))
            catalog.removeSpec("capture", "acmeCo/deep")
            assertEquals(emptyList(), catalog.names("capture"))
        }
    }

    @JTest
    fun nameCollisions() {
        Catalog().use { catalog ->
            catalog.collection("acmeCo/x", key = listOf("/id"), schema = OBJECT)
            var e = fails<InvalidSpecException>("name_collision") {
                catalog.collection("acmeCo/x", key = listOf("/id"), schema = OBJECT)
            }
            assertEquals("collection acmeCo/x is already defined", e.message)
            e = fails("name_collision") {
                catalog.derivation("acmeCo/x", key = listOf("/id"), schema = OBJECT, sqlite = emptyList<String>())
            }
            assertEquals("collection acmeCo/x is already defined", e.message)
            catalog.capture("acmeCo/c", image = "i")
            e = fails("name_collision") { catalog.capture("acmeCo/c", image = "j") }
            assertEquals("capture acmeCo/c is already defined", e.message)
            // The first one stays.
            assertEquals("i", at(catalog.getSpec("capture", "acmeCo/c"), "endpoint", "connector", "image"))
        }
    }

    @JTest
    fun everyCallAfterCloseIsClosed() {
        val catalog = Catalog()
        val capture = catalog.capture("acmeCo/c", image = "i")
        val collection = catalog.collection("acmeCo/x", key = listOf("/id"), schema = OBJECT)
        assertFalse(catalog.isClosed)
        catalog.close()
        assertTrue(catalog.isClosed)
        catalog.close() // closing again does nothing
        assertEquals("Catalog(closed)", catalog.toString())
        val calls: List<() -> Any?> = listOf(
            { catalog.names("collection") },
            { catalog.captures },
            { catalog.collections },
            { catalog.getSpec("collection", "acmeCo/x") },
            { catalog.setSpec("collection", "acmeCo/y", mapOf("key" to listOf("/id"), "schema" to OBJECT)) },
            { catalog.removeSpec("collection", "acmeCo/x") },
            { catalog.capture("acmeCo/d", image = "i") },
            { catalog.collection("acmeCo/y", key = listOf("/id"), schema = OBJECT) },
            { catalog.test("acmeCo/t") },
            { capture.binding(mapOf("stream" to "a"), target = "acmeCo/x") },
            { collection.spec },
            { collection.remove() },
            { catalog.validate() },
            { catalog.bundle() },
            { catalog.toYaml(plaintextSecrets = true) },
            { catalog.toJson(plaintextSecrets = true) },
            { catalog.write("/nonexistent/flow.yaml") },
            { catalog.runTests() },
            { catalog.publish(controlPlane = mapOf<String, Any>()) },
        )
        for (call in calls) {
            val e = fails<ClosedException>("closed") { call() }
            assertEquals("the catalog is closed", e.message)
            assertEquals(emptyList(), e.diagnostics)
        }
    }

    @JTest
    fun useClosesTheCatalog() {
        val catalog = Catalog()
        catalog.use { it.collection("acmeCo/x", key = listOf("/id"), schema = OBJECT) }
        assertTrue(catalog.isClosed)
        fails<ClosedException>("closed") { catalog.validate() }
    }

    @JTest
    fun secretsAreNeverShown() {
        val token = secret("hunter2")
        assertEquals("Secret(<redacted>)", token.toString())
        assertEquals("hunter2", token.reveal())
        assertEquals(secret("hunter2"), token)
        assertNotEquals(secret("hunter3"), token)
        assertEquals(mapOf("user" to "u", "port" to 5432L), secret(mapOf("user" to "u", "port" to 5432)).reveal())

        Catalog().use { catalog ->
            shop(catalog)
            val capture = catalog.captures.getValue("acmeCo/shop/source-postgres")
            val spec = capture.spec
            val config = at(spec, "endpoint", "connector", "config") as Map<*, *>
            // A secret built is a `Secret` in the spec; written, its key takes the `_sops` suffix.
            assertEquals(setOf("address", "password"), config.keys)
            val password = assertIs<Secret>(config["password"])
            assertEquals("hunter2", password.reveal())
            assertFalse("hunter2" in spec.toString())
            assertTrue("password=Secret(<redacted>)" in spec.toString())
            assertFalse("hunter2" in catalog.toString())
            assertFalse("hunter2" in capture.toString())

            // With no recipient, rendering refuses to show the secret.
            val e = fails<SecretsException>("catalog_secrets") { catalog.toYaml() }
            val scope = "flow://catalog#/captures/acmeCo~1shop~1source-postgres/endpoint/connector/config"
            assertEquals(listOf(scope to "plaintext_secret"), e.diagnostics.map { it.scope to it.code })
            assertFalse("hunter2" in e.message!!)
        }
    }

    @JTest
    fun secretsAreEncryptedOnWriteAndDecryptedOnLoad() {
        withTempDir { dir ->
            val keyFile = File(dir, "keys.txt")
            val recipient = ageKeygen(keyFile.path)
            assertTrue(recipient.startsWith("age1"), recipient)
            assertTrue(keyFile.readText().contains("AGE-SECRET-KEY-1"))
            val target = File(dir, "flow.yaml")
            Catalog(baseDir = dir.path).use { catalog ->
                shop(catalog)
                assertEquals(listOf(target.path), catalog.write(target.path, recipients = listOf(recipient)))
            }
            val text = target.readText()
            assertFalse("hunter2" in text)
            assertTrue("password_sops: ENC[AES256_GCM," in text)
            assertTrue(recipient in text)

            // Loaded as written, the secret is its ciphertext.
            Catalog.load(target.path).use { loaded ->
                loaded.validate()
                assertTrue(passwordOf(loaded).toString().startsWith("ENC[AES256_GCM,"))
            }
            // Decrypted, it is the plaintext under its `_sops` key, which writing
            // encrypts again.
            Catalog.load(target.path, decrypt = true, keyFile = keyFile.path).use { loaded ->
                assertEquals("hunter2", passwordOf(loaded))
                val again = File(dir, "again.yaml")
                loaded.write(again.path, recipients = listOf(recipient))
                assertFalse("hunter2" in again.readText())
                assertTrue("password_sops: ENC[AES256_GCM," in again.readText())
            }
            Catalog.load(target.path).use { loaded ->
                assertEquals(1L, loaded.decryptSecrets(identity = keyFile.readText()))
                assertEquals("hunter2", passwordOf(loaded))
            }

            // Another identity opens nothing.
            val otherKey = File(dir, "other.txt")
            ageKeygen(otherKey.path)
            val e = fails<SecretsException>("catalog_secrets") {
                Catalog.load(target.path, decrypt = true, keyFile = otherKey.path).close()
            }
            assertEquals(listOf("sops_no_matching_identity"), e.diagnostics.map { it.code })
        }
    }

    @JTest
    fun documentsAreEncryptedAndDecrypted() {
        withTempDir { dir ->
            val keyFile = File(dir, "keys.txt")
            val recipient = ageKeygen(keyFile.path)
            val document = mapOf("user" to "u", "password_sops" to "hunter2", "port" to 5432)
            val sealed = encrypt(document, recipients = listOf(recipient), encryptedSuffix = "_sops")
            assertEquals("u", sealed["user"])
            assertEquals(5432L, sealed["port"])
            assertTrue(sealed["password_sops"].toString().startsWith("ENC[AES256_GCM,data:"))
            val sops = sealed["sops"] as Map<*, *>
            assertEquals("_sops", sops["encrypted_suffix"])
            assertEquals(listOf(recipient), (sops["age"] as List<*>).map { (it as Map<*, *>)["recipient"] })

            assertEquals(
                mapOf("user" to "u", "password_sops" to "hunter2", "port" to 5432L),
                decrypt(sealed, keyFile = keyFile.path),
            )
            assertEquals(
                mapOf("user" to "u", "password" to "hunter2", "port" to 5432L),
                decrypt(sealed, identity = keyFile.readText(), stripSuffix = true),
            )

            val other = File(dir, "other.txt")
            ageKeygen(other.path)
            fails<SecretsException>("sops_no_matching_identity") { decrypt(sealed, keyFile = other.path) }
            val e = fails<SecretsException>("sops_identity_file_exists") { ageKeygen(other.path) }
            assertEquals("identity file `$other` already exists; refusing to overwrite it", e.message)
            assertNotEquals(recipient, ageKeygen(other.path, overwrite = true))
            fails<SecretsException>("sops_invalid_recipient") { encrypt(document, recipients = listOf("age1nope")) }
        }
    }

    @JTest
    fun loadEditWrite() {
        withTempDir { dir ->
            val target = File(dir, "flow.yaml")
            Catalog(baseDir = dir.path).use { catalog ->
                catalog.collection("acmeCo/a", key = listOf("/id"), schema = idSchema("string"))
                catalog.write(target.path)
                assertEquals(catalog.toYaml(), target.readText())
            }
            Catalog.load(target.path).use { loaded ->
                assertEquals(listOf("acmeCo/a"), loaded.names("collection"))
                loaded.collection("acmeCo/b", key = listOf("/id"), schema = OBJECT)
                assertEquals(listOf(target.path), loaded.write(target.path))
            }
            assertEquals(
                """
                # yaml-language-server: ${'$'}schema=https://raw.githubusercontent.com/flowspec/flowspec/v0.1.0/flow.schema.json
                collections:
                  acmeCo/a:
                    schema:
                      type: object
                      properties:
                        id:
                          type: string
                      required:
                        - id
                    key:
                      - /id
                  acmeCo/b:
                    schema:
                      type: object
                    key:
                      - /id
                """.trimIndent() + "\n",
                target.readText(),
            )
            Catalog.load(target.path).use { reloaded ->
                assertEquals(listOf("acmeCo/a", "acmeCo/b"), reloaded.names("collection"))
                assertEquals(mapOf("type" to "object"), reloaded.getSpec("collection", "acmeCo/b")!!["schema"])
            }
        }
    }

    @JTest
    fun writesTheCanonicalLayoutAndPrunes() {
        withTempDir { dir ->
            val root = File(dir, "canonical")
            val target = File(root, "flow.yaml")
            Catalog().use { catalog ->
                catalog.collection("acmeCo/a", key = listOf("/id"), schema = idSchema())
                catalog.test("acmeCo/tests/a").ingest("acmeCo/a", listOf(mapOf("id" to 1)))
                val written = catalog.write(target.path, layout = "canonical")
                assertEquals(
                    listOf("acmeCo/flow.yaml", "acmeCo/tests/flow.yaml", "flow.yaml"),
                    written.map { File(it).relativeTo(root).path },
                )
            }
            assertEquals(
                "# yaml-language-server: \$schema=https://raw.githubusercontent.com/flowspec/flowspec/v0.1.0/flow.schema.json\n" +
                    "import:\n  - acmeCo/flow.yaml\n",
                target.readText(),
            )
            val stale = File(root, "acmeCo/tests/flow.yaml")
            Catalog.load(target.path).use { loaded ->
                assertEquals(listOf("acmeCo/a"), loaded.names("collection"))
                assertEquals(listOf("acmeCo/tests/a"), loaded.names("test"))
                assertTrue(loaded.removeSpec("test", "acmeCo/tests/a"))
                val warned = stderrOf { loaded.write(target.path, layout = "canonical") }
                assertEquals(
                    "warning: 1 file of the catalog previously written here is no longer used: $stale; " +
                        "remove it by writing with prune\n",
                    warned,
                )
                assertTrue(stale.exists(), "a stale file is left unless pruned")
                loaded.write(target.path, layout = "canonical", prune = true)
                assertFalse(stale.exists())
            }
        }
    }

    @JTest
    fun loadingAMissingFile() {
        withTempDir { dir ->
            val missing = File(dir, "nope.flow.yaml")
            val e = fails<FileException>("io") { Catalog.load(missing.path) }
            assertEquals("cannot read $missing: No such file or directory (os error 2)", e.message)
            assertEquals(missing.path, e.path)
        }
    }

    @JTest
    fun publishesToALocalControlPlaneAndPullsBack() {
        withTempDir { dir ->
            Catalog().use { catalog ->
                catalog.collection("acmeCo/orders", key = listOf("/id"), schema = idSchema())
                catalog.collection("acmeCo/customers", key = listOf("/id"), schema = idSchema("string"))
                LocalControlPlane().start().use { plane ->
                    assertTrue(plane.running)
                    assertTrue(plane.pgUrl.startsWith("http://127.0.0.1:"), plane.pgUrl)
                    assertFalse(plane.flowAuthToken in plane.toString())

                    val published = catalog.publish(controlPlane = plane, source = File(dir, "flow.yaml").path)
                    assertEquals("success", published["status"])
                    assertEquals(false, published["dryRun"])
                    val pubId = published["pubId"] as String
                    assertTrue(Regex("[0-9a-f]{16}").matches(pubId), pubId)
                    assertEquals(2, (published["specs"] as List<*>).size)

                    val live = listSpecs(controlPlane = plane, prefixes = listOf("acmeCo/"))
                    assertEquals(
                        listOf("acmeCo/customers" to "collection", "acmeCo/orders" to "collection"),
                        live.map { it["catalogName"] to it["catalogType"] }.sortedBy { it.first.toString() },
                    )
                    assertEquals(setOf(pubId), live.map { it["lastPubId"] }.toSet())

                    val target = File(dir, "pulled/flow.yaml")
                    val pulled = pullSpecs(controlPlane = plane, prefixes = listOf("acmeCo/"), target = target.path)
                    assertEquals(2L, pulled["written"])
                    Catalog.load(target.path).use { back ->
                        assertEquals(listOf("acmeCo/customers", "acmeCo/orders"), back.names("collection"))
                        assertEquals(listOf("/id"), back.getSpec("collection", "acmeCo/orders")!!["key"])
                    }
                }
            }
        }
    }

    @JTest
    fun anInvalidCatalogIsNotPublished() {
        LocalControlPlane().start().use { plane ->
            Catalog().use { catalog ->
                catalog.collection("acmeCo/x", key = listOf(), schema = OBJECT)
                val e = fails<ValidationException>("validation") { catalog.publish(controlPlane = plane) }
                assertEquals(listOf("key_empty"), e.diagnostics.map { it.code })
            }
            assertEquals(emptyList(), listSpecs(controlPlane = plane, prefixes = listOf("acmeCo/")))
        }
    }

    @JTest
    fun aStoppedControlPlaneHasNoEndpoints() {
        val plane = LocalControlPlane()
        assertFalse(plane.running)
        assertEquals("LocalControlPlane(stopped)", plane.toString())
        fails<ControlPlaneException>("local_control_plane_failed") { plane.pgUrl }
        plane.start().use { assertTrue(it.running) }
        assertFalse(plane.running)
    }

    @JTest
    fun controlPlanePortsMustBePorts() {
        var e = fails<InvalidSpecException>("invalid_spec") { LocalControlPlane(pgPort = 70000) }
        assertEquals("LocalControlPlane: `pgPort` must be a port number (0 to 65535), not 70000", e.message)
        e = fails("invalid_spec") { LocalControlPlane(agentPort = -1) }
        assertEquals("LocalControlPlane: `agentPort` must be a port number (0 to 65535), not -1", e.message)
    }

    @JTest
    fun exceptionsAreFlowspecExceptions() {
        val calls: List<() -> Unit> = listOf(
            { Catalog().use { it.test("nope") } },
            { Catalog().use { it.capture("acmeCo/x") } },
            { Catalog().use { c -> c.collection("acmeCo/x", key = listOf(), schema = OBJECT).also { c.validate() } } },
            { Catalog().apply { close() }.validate() },
            { Catalog.load("/nonexistent/flow.yaml").close() },
            { decrypt(mapOf("a" to 1)) },
        )
        // One `catch` for every failure of flowspec; `when` over the sealed classes.
        val caught = calls.map { call ->
            try {
                call()
                "nothing"
            } catch (e: FlowspecException) {
                val kind = when (e) {
                    is InvalidNameException -> "name"
                    is InvalidSpecException -> "spec"
                    is FileException -> "file"
                    is WriteException -> "write"
                    is LoadException -> "load"
                    is ValidationException -> "validation"
                    is SecretsException -> "secrets"
                    is ControlPlaneException -> "control plane"
                    is ClosedException -> "closed"
                    is InternalFlowspecException -> "internal"
                }
                "$kind: ${e.code}"
            }
        }
        assertEquals(
            listOf(
                "name: invalid_name",
                "spec: invalid_spec",
                "validation: validation",
                "closed: closed",
                "file: io",
                "secrets: sops_missing_metadata",
            ),
            caught,
        )
    }

    @JTest
    fun codesAreTheRegistry() {
        val all = codes()
        assertEquals(all.size, all.map { it.code }.toSet().size)
        val invalidName = all.single { it.code == "invalid_name" }
        assertTrue(invalidName.description.startsWith("A catalog name"))
        val some = listOf("io", "load", "validation", "write", "catalog_secrets", "internal", "closed", "key_empty")
        assertEquals(emptyList(), some.filterNot { it in CODES })
    }
}

/** The value at a path of keys in nested maps. */
private fun at(value: Any?, vararg keys: String): Any? = keys.fold(value) { v, key -> (v as? Map<*, *>)?.get(key) }

/** The password of the shop's capture, as its written spec holds it. */
private fun passwordOf(catalog: Catalog): Any? =
    at(catalog.getSpec("capture", "acmeCo/shop/source-postgres"), "endpoint", "connector", "config", "password_sops")
