// flowspec for Kotlin: Estuary Flow catalogs as code.
//
// The classes here wrap the native layer (`flowspec.ffi`, made by uniffi from
// the `flowspec-uniffi` crate); the functions that take options are generated
// into Dsl.kt from the core's schema. Values cross as JSON: maps, lists,
// strings, numbers, booleans, null and secrets.
//
//     Catalog(baseDir = "out").use { catalog ->
//         catalog.collection("acmeCo/greetings", schema = mapOf("type" to "object"), key = listOf("/id"))
//         catalog.write("out/flow.yaml")
//     }
@file:JvmName("Flowspec")

package flowspec

import flowspec.ffi.FfiCatalog
import flowspec.ffi.FfiControlPlane
import flowspec.ffi.FfiException
import flowspec.ffi.ErrorClass

/**
 * One problem found while loading or validating a catalog: its [scope]
 * (file URL and JSON pointer), [message], stable [code] and [severity].
 *
 * ```
 * catch (e: ValidationException) { e.diagnostics.forEach { println("${it.scope}: ${it.message} [${it.code}]") } }
 * ```
 */
typealias Diagnostic = flowspec.ffi.Diagnostic

/**
 * A failure of flowspec: its stable [code] (see [codes]) and, for loading,
 * validation, secrets and publishing, the [diagnostics] that say where and why.
 *
 * ```
 * try { catalog.validate() } catch (e: FlowspecException) { println("error[${e.code}]: ${e.message}") }
 * ```
 */
sealed class FlowspecException(
    message: String,
    /** The stable code of the kind of failure, like `invalid_name`. */
    val code: String,
    /** Where and why, for loading, validation, secrets and publishing. */
    val diagnostics: List<Diagnostic>,
) : Exception(message)

/** A catalog name, field or JSON pointer does not follow its rule (code `invalid_name`). */
class InvalidNameException(message: String, code: String, diagnostics: List<Diagnostic>) :
    FlowspecException(message, code, diagnostics)

/**
 * An option or spec is not valid: an unknown option, a wrong type, a missing
 * endpoint (code `invalid_spec`); a spec added under a name already defined
 * (`name_collision`) or not defined (`reference_undefined`); a value nested too
 * deep (`nesting_too_deep`).
 */
class InvalidSpecException(message: String, code: String, diagnostics: List<Diagnostic>) :
    FlowspecException(message, code, diagnostics)

/** A file could not be read (code `io`, or `sops_io` for a secrets operation); [path] is the file. */
class FileException(message: String, code: String, diagnostics: List<Diagnostic>, val path: String?) :
    FlowspecException(message, code, diagnostics)

/** A catalog could not be written (code `write`); [path] is the file or directory. */
class WriteException(message: String, code: String, diagnostics: List<Diagnostic>, val path: String?) :
    FlowspecException(message, code, diagnostics)

/** A catalog source could not be loaded (code `load`); [diagnostics] say where and why. */
class LoadException(message: String, code: String, diagnostics: List<Diagnostic>) :
    FlowspecException(message, code, diagnostics)

/** The catalog is not valid (code `validation`); [diagnostics] list every problem. */
class ValidationException(message: String, code: String, diagnostics: List<Diagnostic>) :
    FlowspecException(message, code, diagnostics)

/**
 * A sops / age operation failed (`sops_...`), or the secrets of a catalog's
 * configs could not be sealed or opened (`catalog_secrets`, with diagnostics).
 */
class SecretsException(message: String, code: String, diagnostics: List<Diagnostic>) :
    FlowspecException(message, code, diagnostics)

/**
 * A call to a control plane failed: no credentials (`not_authenticated`), a
 * refusal, no answer, a publication that failed (`publication_failed`, with the
 * control plane's errors as diagnostics), ...
 */
class ControlPlaneException(message: String, code: String, diagnostics: List<Diagnostic>) :
    FlowspecException(message, code, diagnostics)

/**
 * A catalog was used after it was closed (code `closed`). A stopped
 * [LocalControlPlane] can be started again: its endpoints fail with
 * [ControlPlaneException] (`local_control_plane_failed`) until it is.
 */
class ClosedException(message: String, code: String, diagnostics: List<Diagnostic>) :
    FlowspecException(message, code, diagnostics)

/** A bug in flowspec (code `internal`): please report it. */
class InternalFlowspecException(message: String, code: String, diagnostics: List<Diagnostic>) :
    FlowspecException(message, code, diagnostics)

/** Runs a call of the native layer, its failure as a [FlowspecException]. */
internal inline fun <T> ffi(block: () -> T): T =
    try {
        block()
    } catch (e: FfiException.Failure) {
        throw translate(e)
    } catch (e: flowspec.ffi.InternalException) {
        throw InternalFlowspecException(e.message ?: "internal error", "internal", emptyList())
    }

internal fun translate(e: FfiException.Failure): FlowspecException {
    val (m, c, d) = Triple(e.detail, e.code, e.diagnostics)
    return when (e.kind) {
        ErrorClass.INVALID_NAME -> InvalidNameException(m, c, d)
        ErrorClass.INVALID_SPEC -> InvalidSpecException(m, c, d)
        ErrorClass.FILE -> FileException(m, c, d, e.path)
        ErrorClass.WRITE -> WriteException(m, c, d, e.path)
        ErrorClass.LOAD -> LoadException(m, c, d)
        ErrorClass.VALIDATION -> ValidationException(m, c, d)
        ErrorClass.SECRETS -> SecretsException(m, c, d)
        ErrorClass.CONTROL_PLANE -> ControlPlaneException(m, c, d)
        ErrorClass.CLOSED -> ClosedException(m, c, d)
    }
}

internal fun invalid(subject: String, message: String): InvalidSpecException =
    InvalidSpecException("$subject: $message", "invalid_spec", emptyList())

/**
 * A value to be encrypted when the catalog is written: put it anywhere in a
 * config. Its value is sealed in the native library under a key of this
 * process; [toString] never shows it, and [reveal] gives it back.
 *
 * ```
 * val token = secret("sk_live_123")
 * println(token) // Secret(<redacted>)
 * ```
 */
class Secret internal constructor(internal val sealed: String) {
    /** The secret value. */
    @Throws(FlowspecException::class)
    fun reveal(): Any? = ffi { Json.decode(flowspec.ffi.openSecret(sealed)) }

    override fun toString(): String = "Secret(<redacted>)"

    override fun equals(other: Any?): Boolean = other is Secret && reveal() == other.reveal()

    override fun hashCode(): Int = reveal().hashCode()
}

/**
 * Marks a value (a string, or any JSON value) as secret: it is encrypted
 * with sops when the catalog is written, under a key ending in `_sops`.
 *
 * ```
 * config = mapOf("password" to secret("hunter2"))
 * ```
 */
@Throws(FlowspecException::class)
fun secret(value: Any?): Secret = ffi { Secret(flowspec.ffi.sealSecret(Json.encode(value))) }

/** The options of a call given as named arguments: those given, as a map. */
internal fun options(vararg pairs: Pair<String, Any?>): Map<String, Any?> {
    val map = LinkedHashMap<String, Any?>()
    for ((key, value) in pairs) {
        if (value != null) map[key] = value
    }
    return map
}

/**
 * A catalog: captures, collections, derivations, materializations and tests,
 * validated, written as `flow.yaml`, published. Make one with `Catalog(...)`
 * or [Catalog.load][load]; close it (or `use {}` it) to free it.
 *
 * ```
 * Catalog().use { catalog ->
 *     catalog.capture("acmeCo/source", image = "ghcr.io/estuary/source-hello-world:dev")
 *         .binding(resource = mapOf("name" to "greetings"), target = "acmeCo/greetings")
 * }
 * ```
 */
class Catalog internal constructor(internal val raw: FfiCatalog) : AutoCloseable {
    /** `Catalog.load(...)` lives here. */
    companion object

    /** The captures, by name. */
    val captures: Map<String, Capture> get() = names("capture").associateWith { Capture(this, it) }

    /** The collections and derivations, by name: a derivation is a [Derivation]. */
    val collections: Map<String, Collection>
        get() = names("collection").associateWith {
            if (getSpec("collection", it)?.containsKey("derive") == true) Derivation(this, it) else Collection(this, it)
        }

    /** The materializations, by name. */
    val materializations: Map<String, Materialization>
        get() = names("materialization").associateWith { Materialization(this, it) }

    /** The tests, by name. */
    val tests: Map<String, Test> get() = names("test").associateWith { Test(this, it) }

    /**
     * Validates the catalog offline, as publishing would: its warnings; its
     * errors throw [ValidationException] with every problem.
     */
    @Throws(FlowspecException::class)
    fun validate(): List<Diagnostic> = ffi { raw.validate() }

    /** A copy with every file reference inlined: what Estuary receives. */
    @Throws(FlowspecException::class)
    fun bundle(): Catalog = ffi { Catalog(raw.bundle()) }

    /** The spec of a kind (`capture`, `collection`, `materialization`, `test`) and name, as in `flow.yaml`. */
    @Throws(FlowspecException::class)
    fun getSpec(kind: String, name: String): Map<String, Any?>? =
        ffi { raw.getSpec(kind, name) }?.let { Json.decodeObject(it) }

    /** Adds or replaces the spec of a kind and name. */
    @Throws(FlowspecException::class)
    fun setSpec(kind: String, name: String, spec: Map<String, Any?>) = ffi { raw.setSpec(kind, name, Json.encode(spec)) }

    /** Removes the spec of a kind and name: whether there was one. */
    @Throws(FlowspecException::class)
    fun removeSpec(kind: String, name: String): Boolean = ffi { raw.removeSpec(kind, name) }

    /** The names of the specs of a kind, sorted. */
    @Throws(FlowspecException::class)
    fun names(kind: String): List<String> = ffi { raw.names(kind) }

    /** Whether [close] was called. */
    val isClosed: Boolean get() = raw.isClosed()

    /** Frees the catalog: later calls throw [ClosedException]. */
    override fun close() = raw.release()

    /** `Catalog(1 capture, 3 collections, 1 materialization, 1 test)`. */
    override fun toString(): String = raw.describe()
}

internal fun newCatalog(options: Map<String, Any?>): Catalog = ffi { Catalog(FfiCatalog(Json.encode(options))) }

internal fun loadCatalog(path: String, options: Map<String, Any?>): Catalog =
    ffi { Catalog(FfiCatalog.load(path, Json.encode(options))) }

private fun <T : Spec> Catalog.add(call: String, name: String, options: Map<String, Any?>, handle: T): T {
    ffi { raw.add(call, name, Json.encode(options, "$call $name")) }
    return handle
}

internal fun Catalog.addCapture(name: String, options: Map<String, Any?>) = add("capture", name, options, Capture(this, name))
internal fun Catalog.addCollection(name: String, options: Map<String, Any?>) =
    add("collection", name, options, Collection(this, name))
internal fun Catalog.addDerivation(name: String, options: Map<String, Any?>) =
    add("derivation", name, options, Derivation(this, name))
internal fun Catalog.addMaterialization(name: String, options: Map<String, Any?>) =
    add("materialization", name, options, Materialization(this, name))
internal fun Catalog.addTest(name: String, options: Map<String, Any?>) = add("test", name, options, Test(this, name))

internal fun Catalog.writeCatalog(path: String, options: Map<String, Any?>): List<String> {
    val written = ffi { raw.write(path, Json.encode(options)) }
    written.staleWarning?.let { System.err.println("warning: $it") }
    return written.files
}

internal fun Catalog.renderYaml(options: Map<String, Any?>): String = ffi { raw.render("yaml", Json.encode(options)) }
internal fun Catalog.renderJson(options: Map<String, Any?>): String = ffi { raw.render("json", Json.encode(options)) }
internal fun Catalog.decryptCatalogSecrets(options: Map<String, Any?>): Long =
    ffi { raw.decryptSecrets(Json.encode(options)).toLong() }
internal fun Catalog.publishCatalog(options: Map<String, Any?>) = Json.decodeObject(ffi { raw.publish(Json.encode(options)) })
internal fun Catalog.testCatalogRemotely(options: Map<String, Any?>) =
    Json.decodeObject(ffi { raw.testRemote(Json.encode(options)) })
internal fun Catalog.planCatalog(options: Map<String, Any?>) = Json.decodeObject(ffi { raw.plan(Json.encode(options)) })
internal fun Catalog.runCatalogTests(options: Map<String, Any?>) = Json.decodeObject(ffi { raw.runTests(Json.encode(options)) })
internal fun Catalog.generateFiles(options: Map<String, Any?>) = Json.decodeObjects(ffi { raw.generate(Json.encode(options)) })

/**
 * A spec of a catalog, by kind and name: what the catalog's methods return,
 * to add parts to it, read it or remove it.
 */
sealed class Spec(
    /** The catalog it is in. */
    val catalog: Catalog,
    /** Its kind: `capture`, `collection`, `materialization` or `test`. */
    val kind: String,
    /** Its catalog name. */
    val name: String,
) {
    /** The spec as in `flow.yaml`. */
    @get:Throws(FlowspecException::class)
    val spec: Map<String, Any?>
        get() = catalog.getSpec(kind, name)
            ?: throw InvalidSpecException("$kind $name is not defined", "reference_undefined", emptyList())

    /** Removes it from the catalog: whether it was there. */
    @Throws(FlowspecException::class)
    fun remove(): Boolean = catalog.removeSpec(kind, name)

    internal fun addPart(call: String, options: Map<String, Any?>) =
        ffi { catalog.raw.add(call, name, Json.encode(options, "$kind $name")) }

    override fun toString(): String = "${this::class.simpleName}($name)"

    override fun equals(other: Any?): Boolean =
        other is Spec && other::class == this::class && other.catalog === catalog && other.name == name

    override fun hashCode(): Int = name.hashCode()
}

/** A capture: add its bindings with `binding(...)`. */
class Capture internal constructor(catalog: Catalog, name: String) : Spec(catalog, "capture", name)

/** A collection. */
open class Collection internal constructor(catalog: Catalog, name: String) : Spec(catalog, "collection", name)

/** A derivation: add its transforms with `transform(...)`. */
class Derivation internal constructor(catalog: Catalog, name: String) : Collection(catalog, name)

/** A materialization: add its bindings with `binding(...)`. */
class Materialization internal constructor(catalog: Catalog, name: String) : Spec(catalog, "materialization", name)

/** A test: add its steps with `ingest(...)` and `verify(...)`. */
class Test internal constructor(catalog: Catalog, name: String) : Spec(catalog, "test", name)

internal fun Capture.addBinding(options: Map<String, Any?>): Capture = apply { addPart("captureBinding", options) }
internal fun Derivation.addTransform(options: Map<String, Any?>): Derivation = apply { addPart("transform", options) }
internal fun Materialization.addBinding(options: Map<String, Any?>): Materialization =
    apply { addPart("materializationBinding", options) }
internal fun Test.addIngest(options: Map<String, Any?>): Test = apply { addPart("ingest", options) }
internal fun Test.addVerify(options: Map<String, Any?>): Test = apply { addPart("verify", options) }

internal fun encryptDocument(document: Map<String, Any?>, options: Map<String, Any?>) =
    Json.decodeObject(ffi { flowspec.ffi.encrypt(Json.encode(document), Json.encode(options)) })
internal fun decryptDocument(document: Map<String, Any?>, options: Map<String, Any?>) =
    Json.decodeObject(ffi { flowspec.ffi.decrypt(Json.encode(document), Json.encode(options)) })
internal fun encryptFileAt(path: String, options: Map<String, Any?>): String =
    ffi { flowspec.ffi.encryptFile(path, Json.encode(options)) }
internal fun decryptFileAt(path: String, options: Map<String, Any?>) =
    Json.decodeObject(ffi { flowspec.ffi.decryptFile(path, Json.encode(options)) })
internal fun generateAgeKey(path: String?, options: Map<String, Any?>): String =
    ffi { flowspec.ffi.ageKeygen(path, Json.encode(options)) }
internal fun pullLiveSpecs(options: Map<String, Any?>) = Json.decodeObject(ffi { flowspec.ffi.pullSpecs(Json.encode(options)) })
internal fun listLiveSpecs(options: Map<String, Any?>) = Json.decodeObjects(ffi { flowspec.ffi.listSpecs(Json.encode(options)) })

/**
 * Every stable code of flowspec, with its group and description.
 *
 * ```
 * val names = codes().map { it.code }
 * ```
 */
fun codes(): List<flowspec.ffi.Code> = flowspec.ffi.codes()

/**
 * A control plane on loopback, backed by SQLite (in memory, or the file
 * [db]), on free ports unless given: publish to it with
 * `catalog.publish(controlPlane = plane)`. `use {}` it, or [stop] it.
 *
 * ```
 * LocalControlPlane().start().use { plane ->
 *     catalog.publish(controlPlane = plane)
 * }
 * ```
 */
class LocalControlPlane(db: String? = null, pgPort: Int = 0, agentPort: Int = 0, encryptionPort: Int = 0) :
    AutoCloseable {
    private val raw: FfiControlPlane =
        FfiControlPlane(db, port("pgPort", pgPort), port("agentPort", agentPort), port("encryptionPort", encryptionPort))

    /** Starts serving (nothing happens if it already is): this plane. */
    @Throws(FlowspecException::class)
    fun start(): LocalControlPlane = apply { ffi { raw.start() } }

    /** Stops serving (nothing happens if it is not). */
    fun stop() = raw.stop()

    /** Stops serving. */
    override fun close() = stop()

    /** Whether it is serving. */
    val running: Boolean get() = raw.running()

    /** Its PostgREST URL. */
    @get:Throws(FlowspecException::class)
    val pgUrl: String get() = ffi { raw.pgUrl() }

    /** Its agent API URL. */
    @get:Throws(FlowspecException::class)
    val agentUrl: String get() = ffi { raw.agentUrl() }

    /** Its config-encryption service's URL. */
    @get:Throws(FlowspecException::class)
    val configEncryptionUrl: String get() = ffi { raw.configEncryptionUrl() }

    /** A refresh token of its user, as `FLOW_AUTH_TOKEN` takes it (a credential: never in [toString]). */
    @get:Throws(FlowspecException::class)
    val flowAuthToken: String get() = ffi { raw.flowAuthToken() }

    /** Its endpoints and token, as the `controlPlane` option. */
    @Throws(FlowspecException::class)
    fun options(): Map<String, Any?> = Json.decodeObject(ffi { raw.options() })

    /** `LocalControlPlane(<PostgREST URL>)`, or `LocalControlPlane(stopped)`. */
    override fun toString(): String = raw.describe()

    private companion object {
        fun port(name: String, value: Int): UShort =
            if (value in 0..65535) value.toUShort()
            else throw invalid("LocalControlPlane", "`$name` must be a port number (0 to 65535), not $value")
    }
}

/**
 * JSON text to and from Kotlin values: maps, lists, strings, numbers,
 * booleans, null, and secrets (`{"$secret": sealed}`).
 */
internal object Json {
    /** The deepest values may nest arrays and objects (the core's limit). */
    private val maxDepth: Int = flowspec.ffi.maxDepth().toInt()

    /** A value that is not JSON: what is wrong, and where (innermost step first). */
    private class NotJson(message: String, val code: String = "invalid_spec") : Exception(message) {
        val steps = ArrayList<String>()
    }

    /**
     * [value] as JSON text; a value that is not JSON is an [InvalidSpecException] of [subject].
     * The values of a map (the options of a call) may each nest as deep as the core allows.
     */
    fun encode(value: Any?, subject: String = "options"): String {
        val out = StringBuilder()
        try {
            write(out, value, if (value is Map<*, *>) -1 else 0)
        } catch (e: NotJson) {
            val steps = e.steps.asReversed()
            val place = if (steps.isEmpty()) "" else
                "at /" + steps.take(12).joinToString("/") { it.replace("~", "~0").replace("/", "~1") } +
                    (if (steps.size > 12) "/..." else "") + ": "
            throw InvalidSpecException("$subject: $place${e.message}", e.code, emptyList())
        }
        return out.toString()
    }

    private fun write(out: StringBuilder, value: Any?, depth: Int) {
        when (value) {
            null -> out.append("null")
            is String -> string(out, value)
            is Boolean -> out.append(value)
            is Int, is Long, is Short, is Byte, is java.math.BigInteger -> out.append(value)
            is Double, is Float -> {
                val d = (value as Number).toDouble()
                if (d.isNaN() || d.isInfinite()) throw NotJson("$value is not a JSON number")
                out.append(d.toString())
            }
            is java.math.BigDecimal -> out.append(value.toPlainString())
            is Secret -> {
                out.append("{\"\$secret\":")
                string(out, value.sealed)
                out.append('}')
            }
            is LocalControlPlane -> write(out, value.options(), depth)
            is Map<*, *> -> {
                if (depth >= maxDepth) tooDeep()
                out.append('{')
                var first = true
                for ((k, v) in value) {
                    if (k !is String) throw NotJson("a map key must be a string, not ${k?.let { it::class.simpleName }}")
                    if (!first) out.append(',')
                    first = false
                    string(out, k)
                    out.append(':')
                    try {
                        write(out, v, depth + 1)
                    } catch (e: NotJson) {
                        e.steps.add(k)
                        throw e
                    }
                }
                out.append('}')
            }
            is Iterable<*> -> list(out, value.iterator(), depth)
            is Array<*> -> list(out, value.iterator(), depth)
            is Enum<*> -> string(out, value.name)
            else -> throw NotJson("a ${value::class.qualifiedName} is not a JSON value")
        }
    }

    private fun tooDeep(): Nothing = throw NotJson(
        "the value nests arrays and objects more than $maxDepth levels deep, " +
            "which a catalog cannot hold (does it contain itself?)",
        "nesting_too_deep",
    )

    private fun list(out: StringBuilder, items: Iterator<*>, depth: Int) {
        if (depth >= maxDepth) tooDeep()
        out.append('[')
        var i = 0
        for (item in items) {
            if (i > 0) out.append(',')
            try {
                write(out, item, depth + 1)
            } catch (e: NotJson) {
                e.steps.add(i.toString())
                throw e
            }
            i++
        }
        out.append(']')
    }

    private fun string(out: StringBuilder, s: String) {
        out.append('"')
        for (c in s) {
            when (c) {
                '"' -> out.append("\\\"")
                '\\' -> out.append("\\\\")
                '\n' -> out.append("\\n")
                '\r' -> out.append("\\r")
                '\t' -> out.append("\\t")
                else -> if (c < ' ') out.append(String.format("\\u%04x", c.code)) else out.append(c)
            }
        }
        out.append('"')
    }

    @Suppress("UNCHECKED_CAST")
    fun decodeObject(text: String): Map<String, Any?> = decode(text) as Map<String, Any?>

    @Suppress("UNCHECKED_CAST")
    fun decodeObjects(text: String): List<Map<String, Any?>> = decode(text) as List<Map<String, Any?>>

    fun decode(text: String): Any? {
        val reader = Reader(text)
        val value = reader.value()
        reader.end()
        return value
    }

    private class Reader(val s: String) {
        var i = 0

        fun end() {
            space()
            check(i == s.length) { "trailing text in JSON at $i" }
        }

        fun space() {
            while (i < s.length && s[i].isWhitespace()) i++
        }

        fun value(): Any? {
            space()
            return when (s[i]) {
                '{' -> obj()
                '[' -> arr()
                '"' -> str()
                't' -> word("true", true)
                'f' -> word("false", false)
                'n' -> word("null", null)
                else -> num()
            }
        }

        fun word(w: String, v: Any?): Any? {
            check(s.startsWith(w, i)) { "bad JSON at $i" }
            i += w.length
            return v
        }

        fun obj(): Any {
            i++
            val map = LinkedHashMap<String, Any?>()
            space()
            if (s[i] == '}') {
                i++
                return map
            }
            while (true) {
                space()
                val k = str()
                space()
                check(s[i] == ':') { "bad JSON at $i" }
                i++
                map[k] = value()
                space()
                if (s[i] == ',') {
                    i++
                    continue
                }
                check(s[i] == '}') { "bad JSON at $i" }
                i++
                break
            }
            val sealed = map["\$secret"]
            return if (map.size == 1 && sealed is String) Secret(sealed) else map
        }

        fun arr(): List<Any?> {
            i++
            val list = ArrayList<Any?>()
            space()
            if (s[i] == ']') {
                i++
                return list
            }
            while (true) {
                list.add(value())
                space()
                if (s[i] == ',') {
                    i++
                    continue
                }
                check(s[i] == ']') { "bad JSON at $i" }
                i++
                return list
            }
        }

        fun str(): String {
            check(s[i] == '"') { "bad JSON at $i" }
            i++
            val out = StringBuilder()
            while (true) {
                val c = s[i++]
                when (c) {
                    '"' -> return out.toString()
                    '\\' -> {
                        when (val e = s[i++]) {
                            'n' -> out.append('\n')
                            't' -> out.append('\t')
                            'r' -> out.append('\r')
                            'b' -> out.append('\b')
                            'f' -> out.append('\u000c')
                            'u' -> {
                                out.append(s.substring(i, i + 4).toInt(16).toChar())
                                i += 4
                            }
                            else -> out.append(e)
                        }
                    }
                    else -> out.append(c)
                }
            }
        }

        fun num(): Any {
            val start = i
            while (i < s.length && (s[i].isDigit() || s[i] in "+-.eE")) i++
            val t = s.substring(start, i)
            check(t.isNotEmpty()) { "bad JSON at $start" }
            if (t.any { it in ".eE" }) return t.toDouble()
            return t.toLongOrNull() ?: java.math.BigInteger(t)
        }
    }
}
