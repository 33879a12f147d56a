# Shared by ./d4j, ./scripts/test and ./scripts/bench (source it; it defines functions only).
#
#   d4j_find_jdk      sets D4J_JAVA_HOME to a JDK 21 or newer (D4J_JAVA_MAJOR to its version), or
#                     explains what to install and exits 1
#   d4j_require_maven checks that `mvn` is on the PATH, or explains how to install it and exits 1
#   d4j_mvn ARGS...   runs Maven with that JDK (JAVA_HOME exported) in batch mode
#   d4j_signal_chaining [JAVA_HOME]
#                     preloads that JDK's (default: the `java` on the PATH) libjsig (LD_PRELOAD, exported) so that OpenCL drivers cannot take
#                     the JVM's signal handlers; every launcher that may open OpenCL calls it
#
# Everything these functions print goes to stderr, so that stdout stays the program's own.

D4J_MIN_JAVA=21

# The major Java version of the JDK at $1 ("21", "25"; "8" for a 1.8), or 0 if $1 is no JDK.
# A JDK (not a JRE) is required because Maven compiles with it, so bin/javac must exist too.
d4j_java_major() {
    local home=$1 spec
    if [[ ! -x "$home/bin/java" || ! -x "$home/bin/javac" ]]; then echo 0; return; fi
    spec=$("$home/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = *//p' | head -n 1)
    case "$spec" in
        1.*)      echo "${spec#1.}" ;;   # Java 8 and older call themselves 1.N
        [0-9]*)   echo "${spec%%.*}" ;;
        *)        echo 0 ;;
    esac
}

# The JDKs in the usual JVM folders, newest Java version first, then the `java` on the PATH.
# Prints one "major<TAB>home" line per candidate.
d4j_installed_jdks() {
    local dir
    for dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk*; do
        [[ -d "$dir" && ! -L "$dir" ]] && printf '%s\t%s\n' "$(d4j_java_major "$dir")" "$dir"
    done | sort -t $'\t' -k1,1nr
    if command -v java > /dev/null 2>&1; then
        dir=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
        printf '%s\t%s\n' "$(d4j_java_major "$dir")" "$dir"
    fi
}

# $JAVA_HOME when it is a JDK 21+ (checked first, so that the common case asks one JVM only), else the
# first suitable one of d4j_installed_jdks.
d4j_find_jdk() {
    local major candidate tried=""
    if [[ -n "${JAVA_HOME:-}" ]]; then
        major=$(d4j_java_major "$JAVA_HOME")
        if (( major >= D4J_MIN_JAVA )); then
            D4J_JAVA_HOME=$JAVA_HOME D4J_JAVA_MAJOR=$major
            return 0
        fi
        tried+="    JAVA_HOME=$JAVA_HOME ($(d4j_describe_major "$major"))"$'\n'
    fi
    while IFS=$'\t' read -r major candidate; do
        if (( major >= D4J_MIN_JAVA )); then
            D4J_JAVA_HOME=$candidate D4J_JAVA_MAJOR=$major
            return 0
        fi
        tried+="    $candidate ($(d4j_describe_major "$major"))"$'\n'
    done < <(d4j_installed_jdks | awk '!seen[$0]++')
    {
        echo "diffusion4j needs a JDK $D4J_MIN_JAVA or newer, and none was found."
        [[ -n "$tried" ]] && printf 'Looked at:\n%s' "$tried"
        echo "Install one, for example:"
        echo "    sudo apt-get install openjdk-21-jdk      (Debian 13 / Ubuntu 24.04 and newer)"
        echo "or Eclipse Temurin 21+ from https://adoptium.net (Debian 12: see its apt instructions),"
        echo "then run again, or point JAVA_HOME at it."
    } >&2
    exit 1
}

d4j_describe_major() { if (( $1 > 0 )); then echo "Java $1"; else echo "not a JDK"; fi; }

d4j_require_maven() {
    command -v mvn > /dev/null 2>&1 && return 0
    {
        echo "diffusion4j builds with Apache Maven, and 'mvn' is not on the PATH."
        echo "Install it, for example:  sudo apt-get install maven"
    } >&2
    exit 1
}

d4j_mvn() {
    JAVA_HOME=$D4J_JAVA_HOME mvn -B "$@"
}

# OpenCL drivers may install signal handlers of their own when the ICD loader opens them: PoCL's LLVM
# replaces the handlers of SIGSEGV, SIGBUS, SIGILL and others (seen with LLVM 15 here and LLVM 16 on the GPU
# machines, where the ICD loader opens PoCL beside NVIDIA's driver). HotSpot uses SIGSEGV itself, on purpose
# (implicit null checks, safepoint polls); with LLVM's handler in the way, such a fault kills the JVM with
# exit code 139 and no hs_err file. The JDK's remedy is signal chaining: libjsig, preloaded, keeps the
# JVM's handlers installed and hands other signals to the driver's. (kernels/README.md, "Signal handlers")
d4j_signal_chaining() {
    local home=${1:-}
    [[ -n $home ]] || home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    local jsig=$home/lib/libjsig.so
    [[ -f $jsig ]] || return 0                       # not Linux, or a JRE without it: nothing to chain
    case ":${LD_PRELOAD:-}:" in *":$jsig:"*) return 0 ;; esac
    export LD_PRELOAD=$jsig${LD_PRELOAD:+:$LD_PRELOAD}
}
