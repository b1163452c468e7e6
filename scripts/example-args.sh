# Sourced by scripts/example-kotlin.sh and scripts/example-ruby.sh with the
# script's name, its default OUT_DIR and its arguments: sets `flags` (the
# example's flags, --plaintext-secrets and --no-publish) and `out`, or prints
# the usage and exits 2.
#
# Usage: source scripts/example-args.sh NAME DEFAULT_OUT_DIR "$@"
usage="usage: scripts/$1 [--plaintext-secrets] [--no-publish] [OUT_DIR]"
default_out=$2
shift 2
flags=()
out=
for arg in "$@"; do
    case "$arg" in
        --plaintext-secrets | --no-publish) flags+=("$arg") ;;
        -*) echo "$usage" >&2 && exit 2 ;;
        *)
            [ -z "$out" ] || { echo "$usage" >&2 && exit 2; }
            out=$arg
            ;;
    esac
done
out=${out:-$default_out}
