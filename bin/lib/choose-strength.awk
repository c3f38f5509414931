# Used by bin/continual-study --tune: per (method, variant), the grid value whose trials have the highest mean
# validation ACC (analyze's continual_metrics.validation_average_accuracy; docs/SCHEMA.md), ties to the first
# value of the grid. Selection reads the validation split only (issue 19); the test columns are never read here.
#   awk -F, -v trials=TRIALS.csv -v metrics=continual_metrics.csv -v grids='ewc=1e1 1e3;si=0.1 1' \
#       -v variants='plastic dense' -v replicas=K -v choice=CHOICE.csv -f choose-strength.awk /dev/null
# TRIALS.csv: run_id,method,variant,value,replica (one line per finished tuning run). Prints the Markdown
# tables of OUT/tuning.md and writes CHOICE.csv (method,variant,value). Every (method, variant, value) must have
# exactly K trials, each with a continual_metrics row: so every variant of a method gets the same trials, and
# a mean is never over fewer seeds than another's. A value with a null validation ACC in any trial (a diverged
# run) is shown as "-" and not chosen. Any breach: one line on stderr, exit 2, CHOICE.csv not written.
function fail(message) {
  print "continual-study: tuning: " message > "/dev/stderr"
  failed = 1
  exit 2
}
BEGIN {
  symbol["ewc"] = "lambda"; symbol["si"] = "c"
  while ((getline line < metrics) > 0) {
    n = split(line, f, ",")
    if (!header_seen) {
      for (i = 1; i <= n; i++) col[f[i]] = i
      header_seen = 1
      if (!("run_id" in col) || !("validation_average_accuracy" in col))
        fail(metrics " has no run_id or validation_average_accuracy column")
      continue
    }
    acc[f[col["run_id"]]] = f[col["validation_average_accuracy"]]
  }
  while ((getline line < trials) > 0) {
    if (line ~ /^run_id,/) continue
    split(line, f, ",")
    run = f[1]; key = f[2] SUBSEP f[3] SUBSEP f[4]
    if (!(run in acc)) fail("run " run " (" f[3] "-" f[2] " " f[4] ", replica " f[5] ") has no continual_metrics row")
    count[key]++
    if (acc[run] == "") null[key] = 1
    else sum[key] += acc[run]
  }
  methods = split(grids, grid, ";")
  nvariants = split(variants, variant, " ")
  print "| method | variant | trials | value: mean validation ACC | chosen |"
  print "|---|---|---|---|---|"
  for (m = 1; m <= methods; m++) {
    split(grid[m], parts, "=")
    method = parts[1]
    values = split(parts[2], value, " ")
    for (v = 1; v <= nvariants; v++) {
      cells = ""; best = ""
      for (j = 1; j <= values; j++) {
        key = method SUBSEP variant[v] SUBSEP value[j]
        if (count[key] + 0 != replicas)
          fail(variant[v] "-" method " " symbol[method] " = " value[j] " has " (count[key] + 0) " trials, expected " replicas)
        if (key in null) cell = "-"
        else {
          mean = sum[key] / replicas
          cell = sprintf("%.3f", mean)
          if (best == "" || mean > best_mean) { best = value[j]; best_mean = mean }
        }
        cells = cells (j > 1 ? ", " : "") value[j] ": " cell
      }
      if (best == "") fail(variant[v] "-" method ": no value of the grid has a validation ACC in every trial")
      chosen[m, v] = best
      printf "| %s | %s | %d | %s | %s = %s |\n", method, variant[v], values * replicas, cells, symbol[method], best
    }
  }
  print "method,variant,value" > choice
  for (m = 1; m <= methods; m++) {
    split(grid[m], parts, "=")
    for (v = 1; v <= nvariants; v++) print parts[1] "," variant[v] "," chosen[m, v] > choice
  }
}
END { if (failed) exit 2 }
