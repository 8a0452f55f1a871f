# Shared by bin/ml2tensor and the repository's ./ml2tensor launcher: runs the CLI jar, with an AppCDS
# archive (class data of the CLI and its libraries, dumped by the JVM at the end of the first run) kept
# per user, keyed by the jar and the Java runtime, so a changed jar or JDK gets a fresh archive.
ml2tensor_run() {
  local java="$1" jar="$2"
  shift 2
  # shellcheck disable=SC2206
  local opts=(${ML2TENSOR_JAVA_OPTS:-})
  if [ "${ML2TENSOR_CDS:-1}" = "1" ]; then
    local cache="${ML2TENSOR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ml2tensor}"
    local real_java place key archive
    real_java="$(readlink -f "$java")"
    place="$(echo "$jar" | cksum | cut -d' ' -f1)"
    key="$( { stat -c '%s %Y' "$jar" "$real_java" 2>/dev/null; echo "$real_java"; } | cksum | cut -d' ' -f1)"
    archive="$cache/appcds-$place-$key.jsa"
    if [ -f "$archive" ]; then
      exec "$java" -XX:SharedArchiveFile="$archive" -Xshare:auto -Xlog:disable -Xlog:all=error:stderr \
        "${opts[@]}" -jar "$jar" "$@"
    elif mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ]; then
      # First run: the JVM writes the archive when it exits; a temporary name keeps concurrent runs apart.
      local tmp="$archive.$$.tmp" rc=0
      rm -f "$cache/appcds-$place-"*.jsa 2>/dev/null || true  # archives of an older build of this jar
      "$java" -XX:ArchiveClassesAtExit="$tmp" -Xlog:disable -Xlog:all=error:stderr "${opts[@]}" -jar "$jar" "$@" || rc=$?
      if [ -s "$tmp" ]; then mv -f "$tmp" "$archive" 2>/dev/null || rm -f "$tmp"; else rm -f "$tmp"; fi
      return "$rc"
    fi
  fi
  exec "$java" "${opts[@]}" -jar "$jar" "$@"
}
