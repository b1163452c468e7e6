// "Many tables": a Postgres capture of N tables into N collections whose
// schemas are generated from a table description, and a Snowflake
// materialization of all of them.
//
// The table description stands in for what a script would read from the
// database's `information_schema`; the Rust, Python and TypeScript versions of
// this example generate exactly the same one, so all of them write the same
// `flow.yaml`.
//
// Usage: `ManyTables [N] [OUT_DIR]` (default 25 tables into
// `out/kotlin/many-tables`; `scripts/example-kotlin.sh` builds and runs it).

import flowspec.*
import java.io.File
import kotlin.system.exitProcess

/** A column of a table. */
private data class Column(val name: String, val type: String, val nullable: Boolean)

/** A table of the source database. */
private data class Table(val name: String, val columns: List<Column>)

/**
 * The description of the source database: [n] tables `table_0000`,
 * `table_0001`, ... with five common columns and one that varies.
 */
private fun describeTables(n: Int): List<Table> {
    val extras = listOf(
        Column("active", "boolean", true),
        Column("quantity", "integer", true),
        Column("note", "text", true),
        Column("attributes", "jsonb", true),
    )
    return (0 until n).map { i ->
        Table(
            name = "table_" + i.toString().padStart(4, '0'),
            columns = listOf(
                Column("id", "bigint", false),
                Column("name", "text", false),
                Column("amount", "numeric", true),
                Column("created_at", "timestamptz", false),
                Column("updated_at", "timestamptz", true),
                extras[i % 4],
            ),
        )
    }
}

/** The JSON schema of a Postgres column type (`jsonb`: any JSON value). */
private fun columnSchema(pgType: String, nullable: Boolean): Map<String, Any> {
    val (type, format) = when (pgType) {
        "bigint", "integer" -> "integer" to null
        "numeric" -> "number" to null
        "text" -> "string" to null
        "boolean" -> "boolean" to null
        "timestamptz" -> "string" to "date-time"
        else -> return emptyMap()
    }
    return buildMap {
        put("type", if (nullable) listOf(type, "null") else type)
        format?.let { put("format", it) }
    }
}

/** The collection schema of a table. */
private fun tableSchema(table: Table): Map<String, Any> = mapOf(
    "type" to "object",
    "properties" to table.columns.associate { it.name to columnSchema(it.type, it.nullable) },
    "required" to table.columns.filterNot { it.nullable }.map { it.name },
)

/** Builds the catalog for [n] tables. */
private fun manyTablesCatalog(n: Int): Catalog {
    val catalog = Catalog()
    val capture = catalog.capture(
        "acmeCo/many-tables/source-postgres",
        image = "ghcr.io/estuary/source-postgres:v1",
        config = mapOf(
            "address" to "postgres.example.com:5432",
            "database" to "app",
            "user" to "flow_capture",
            "password" to "change-me",
        ),
    )
    val materialization = catalog.materialization(
        "acmeCo/many-tables/materialize-snowflake",
        image = "ghcr.io/estuary/materialize-snowflake:v1",
        config = mapOf(
            "host" to "orgname-accountname.snowflakecomputing.com",
            "database" to "analytics",
            "schema" to "many_tables",
            "warehouse" to "loading",
        ),
    )
    for (table in describeTables(n)) {
        val collection = "acmeCo/many-tables/${table.name}"
        capture.binding(mapOf("namespace" to "public", "stream" to table.name), target = collection)
        materialization.binding(mapOf("table" to table.name), source = collection)
        catalog.collection(collection, schema = tableSchema(table), key = listOf("/id"))
    }
    return catalog
}

fun main(args: Array<String>) {
    val n = when (val arg = args.getOrNull(0)) {
        null -> 25
        else -> arg.toIntOrNull()?.takeIf { it >= 0 } ?: run {
            System.err.println("error: N must be a number of tables, not $arg")
            exitProcess(2)
        }
    }
    val out = File(args.getOrNull(1) ?: "out/kotlin/many-tables")
    try {
        val written = manyTablesCatalog(n).use { catalog ->
            catalog.validate()
            catalog.write(File(out, "flow.yaml").path, layout = "flat")
        }
        println("$n tables: valid")
        written.forEach { println("wrote $it") }
    } catch (e: FlowspecException) {
        System.err.println("error[${e.code}]: ${e.message}")
        exitProcess(1)
    }
    exitProcess(0)
}
