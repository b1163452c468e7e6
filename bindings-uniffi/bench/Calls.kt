// The cost of one call of the Kotlin binding, in microseconds: a bare round
// trip to the native library (`names`), and a DSL call with options
// (`collection`, whose options cross as JSON). Median of RUNS runs of CALLS
// calls each. scripts/bench-uniffi.sh runs it beside calls.rb and calls.py.
//
// Usage: CallsKt [CALLS] [RUNS]
import flowspec.*

private fun median(runs: Int, calls: Int, body: (Int) -> Unit): Double {
    val times = (1..runs).map {
        val start = System.nanoTime()
        body(calls)
        (System.nanoTime() - start) / 1000.0 / calls
    }
    return times.sorted()[runs / 2]
}

fun main(args: Array<String>) {
    val calls = args.getOrNull(0)?.toInt() ?: 10_000
    val runs = args.getOrNull(1)?.toInt() ?: 5
    val schema = mapOf("type" to "object", "properties" to mapOf("id" to mapOf("type" to "integer")))
    val names = Catalog().use { catalog -> median(runs, calls) { n -> repeat(n) { catalog.names("test") } } }
    val adds = median(runs, calls) { n ->
        Catalog().use { catalog -> repeat(n) { catalog.collection("acmeCo/t$it", schema = schema, key = listOf("/id")) } }
    }
    println("names %.2f".format(names))
    println("collection %.2f".format(adds))
}
