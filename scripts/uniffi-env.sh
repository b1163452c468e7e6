# Sourced by scripts/uniffi.sh, scripts/example-kotlin.sh and
# scripts/example-ruby.sh: what the Kotlin and Ruby bindings need, and the
# bindings built.
#   1. Debian's ruby, ruby-ffi, libjna-java and junit4, if missing (the JDK
#      is the machine's); kotlinc from npm (bindings-uniffi/package.json);
#   2. the native library and uniffi's generator (cargo, debug; release with
#      FLOWSPEC_UNIFFI_RELEASE=1);
#   3. the generated Kotlin and Ruby code of the native layer, the library
#      copied into the gem (bindings-uniffi/ruby/lib/flowspec/native/);
#   4. the Kotlin binding compiled into target/uniffi/flowspec.jar.
# A script run by one that sourced this (FLOWSPEC_UNIFFI_READY set, same
# profile) skips the build.
# Then `kotlin_build OUT.jar SOURCES...` compiles against the binding and
# `kotlin_run OUT.jar MAIN ARGS...` runs; `ruby_run ARGS...` runs Ruby with the
# gem's lib/ on the load path.

profile=debug
cargo_flags=(--locked)
if [ "${FLOWSPEC_UNIFFI_RELEASE:-0}" = 1 ]; then
    profile=release
    cargo_flags+=(--release)
fi
KOTLIN_HOME=$PWD/bindings-uniffi/node_modules/kotlin-compiler
export KOTLIN_HOME
NATIVE_DIR=$PWD/target/$profile
UNIFFI_OUT=$PWD/target/uniffi/$profile
KOTLIN_CP=/usr/share/java/jna.jar:$KOTLIN_HOME/lib/kotlin-stdlib.jar
FLOWSPEC_JAR=$UNIFFI_OUT/flowspec.jar
export FLOWSPEC_JAR

if [ "${FLOWSPEC_UNIFFI_READY:-}" != "$profile" ]; then
    missing=()
    command -v ruby >/dev/null 2>&1 || missing+=(ruby)
    ruby -e 'require "ffi"' >/dev/null 2>&1 || missing+=(ruby-ffi)
    [ -f /usr/share/java/jna.jar ] || missing+=(libjna-java)
    [ -f /usr/share/java/junit4.jar ] || missing+=(junit4)
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "== uniffi: installing Debian's ${missing[*]}"
        sudo_=""
        [ "$(id -u)" = 0 ] || sudo_=sudo
        $sudo_ apt-get update -qq && $sudo_ apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    command -v java >/dev/null 2>&1 || { echo "error: the Kotlin binding needs a JDK (java) on PATH" >&2; exit 1; }

    if [ ! -x bindings-uniffi/node_modules/kotlin-compiler/bin/kotlinc ]; then
        echo "== uniffi: kotlinc (npm kotlin-compiler)"
        (cd bindings-uniffi && npm ci --no-audit --no-fund >/dev/null)
    fi
    echo "== uniffi: build the native library ($profile) and uniffi-bindgen"
    cargo build -q -p flowspec-uniffi --features cli "${cargo_flags[@]}"
    library=$NATIVE_DIR/libflowspec_uniffi.so

    echo "== uniffi: generate the Kotlin and Ruby native layers"
    rm -rf "$UNIFFI_OUT/kotlin" "$UNIFFI_OUT/ruby"
    "$NATIVE_DIR/uniffi-bindgen" generate --no-format --language kotlin --out-dir "$UNIFFI_OUT/kotlin" "$library" >/dev/null
    "$NATIVE_DIR/uniffi-bindgen" generate --no-format --language ruby --out-dir "$UNIFFI_OUT/ruby" "$library" >/dev/null
    gem_lib=bindings-uniffi/ruby/lib/flowspec
    mkdir -p "$gem_lib/native"
    cp "$UNIFFI_OUT/ruby/flowspec_ffi.rb" "$gem_lib/flowspec_ffi.rb"
    cp "$library" "$gem_lib/native/libflowspec_uniffi.so"

    echo "== uniffi: compile the Kotlin binding ($FLOWSPEC_JAR)"
    "$KOTLIN_HOME/bin/kotlinc" -nowarn -cp /usr/share/java/jna.jar \
        "$UNIFFI_OUT/kotlin/flowspec/ffi/flowspec_ffi.kt" bindings-uniffi/kotlin/flowspec/*.kt \
        -d "$FLOWSPEC_JAR"
    export FLOWSPEC_UNIFFI_READY=$profile
fi

# Compiles Kotlin sources against the binding (and kotlin-test, JUnit 4) into a jar.
kotlin_build() {
    local out=$1
    shift
    "$KOTLIN_HOME/bin/kotlinc" -nowarn \
        -cp "$FLOWSPEC_JAR:$KOTLIN_CP:$KOTLIN_HOME/lib/kotlin-test.jar:$KOTLIN_HOME/lib/kotlin-test-junit.jar:/usr/share/java/junit4.jar" \
        "$@" -d "$out"
}

# Runs a class of a jar built by kotlin_build.
kotlin_run() {
    local jar=$1
    shift
    java -Djna.library.path="$NATIVE_DIR" \
        -cp "$jar:$FLOWSPEC_JAR:$KOTLIN_CP:$KOTLIN_HOME/lib/kotlin-test.jar:$KOTLIN_HOME/lib/kotlin-test-junit.jar:/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar" \
        "$@"
}

# Runs Ruby with the gem's lib/ on the load path.
ruby_run() {
    ruby -I"$PWD/bindings-uniffi/ruby/lib" "$@"
}
