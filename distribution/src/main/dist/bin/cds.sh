# Shared by bin/ml2tensor and the repository's ./ml2tensor launcher: runs the CLI jar, with an AppCDS
# archive (class data of the CLI and its libraries, dumped by the JVM at the end of the first run) kept
# per user, keyed by the jar and the Java runtime, so a changed jar or JDK gets a fresh archive. Java
# always replaces this shell (exec), so signals and the exit status are the JVM's own.
ml2tensor_run() {
  local java="$1" jar="$2"
  shift 2
  # shellcheck disable=SC2206
  local opts=(${ML2TENSOR_JAVA_OPTS:-})
  # `predict` streams: its live data is small and bounded, but G1 grows the heap with the allocation rate
  # (1.6 GB of RSS over 10M rows of a 3000-tree model). The serial collector sizes the heap by live data
  # instead (0.67 GB, same speed), so it is the default there unless the user chose a collector.
  local arg
  for arg in "$@"; do
    case "$arg" in
      -*) continue ;;
      predict)
        case " ${ML2TENSOR_JAVA_OPTS:-} " in
          *" -XX:+Use"*"GC "*) ;;
          *) opts=(-XX:+UseSerialGC "${opts[@]}") ;;
        esac ;;
    esac
    break
  done
  if [ "${ML2TENSOR_CDS:-1}" = "1" ]; then
    local cache="${ML2TENSOR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ml2tensor}"
    local real_java place key archive
    real_java="$(readlink -f "$java")"
    place="$(echo "$jar" | cksum | cut -d' ' -f1)"
    key="$( { stat -c '%s %Y' "$jar" "$real_java" 2>/dev/null; echo "$real_java"; } | cksum | cut -d' ' -f1)"
    archive="$cache/appcds-$place-$key.jsa"
    if [ -f "$archive" ]; then
      rmdir "$archive.lock" 2>/dev/null || true
      exec "$java" -XX:SharedArchiveFile="$archive" -Xshare:auto -Xlog:disable -Xlog:all=error:stderr \
        "${opts[@]}" -jar "$jar" "$@"
    fi
    if mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ]; then
      # One run dumps (the lock keeps concurrent first runs apart; a lock older than 10 minutes is stale).
      if [ -d "$archive.lock" ] && [ -n "$(find "$archive.lock" -maxdepth 0 -mmin +10 2>/dev/null)" ]; then
        rmdir "$archive.lock" 2>/dev/null || true
      fi
      if mkdir "$archive.lock" 2>/dev/null; then
        rm -f "$cache/appcds-$place-"*.jsa 2>/dev/null || true  # archives of an older build of this jar
        exec "$java" -XX:ArchiveClassesAtExit="$archive" -Xlog:disable -Xlog:all=error:stderr \
          "${opts[@]}" -jar "$jar" "$@"
      fi
    fi
  fi
  exec "$java" "${opts[@]}" -jar "$jar" "$@"
}
