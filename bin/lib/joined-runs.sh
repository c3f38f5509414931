# Sourced by bin/continual-study and bin/plasticity-study: one folder that holds several committed runs' tables
# side by side, for one analysis. Each table is partitioned by run_id, so the runs' partitions are hard-linked
# into DEST/<table>/ (nothing copied). DEST then gets its own _COMMITTED, since analyze reads committed folders
# only: the format CommitMarker (jobs/.../storage/CommitMarker.java) writes and checks, every file with its size.
#   join_runs DEST RUN_DIR...
join_runs() {
  local dest="$1" dir table
  shift
  for dir in "$@"; do
    if [[ ! -f "$dir/_COMMITTED" ]]; then
      echo "join_runs: $dir is not a committed run folder" >&2
      return 2
    fi
    for table in trajectories evaluations runs; do
      mkdir -p "$dest/$table"
      if [[ -d "$dir/$table" ]]; then cp -al "$dir/$table/." "$dest/$table/"; fi
    done
  done
  { echo "neuroplastic commit 1: size in bytes, tab, path relative to this folder"
    (cd "$dest" && find . -type f ! -name .commit-marker -printf '%s\t%P\n' | sort -k2); } > "$dest/.commit-marker"
  mv "$dest/.commit-marker" "$dest/_COMMITTED"
}
