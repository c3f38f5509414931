# Sourced by bin/neuroplastic and bin/benchmark: the just-in-time compiler of every JVM they start, in the array
# `jit`. A job's Java code is mostly Spark's and DL4J's orchestration, each piece run briefly, while the numerics
# run in ND4J's native code. HotSpot's optimizing compiler (C2) spent more CPU compiling that code than the trials
# spent training (a parallel sweep of 8 small trials: 12 s compiling, 9 s in the tasks), and on two cores it
# competes with a second trial in flight. The client compiler alone (C1, tier 1) compiles cheaply and trains as
# fast (`bin/benchmark jit` measures both side by side, and checks that the figures are the same to the last
# digit). NEUROPLASTIC_JIT=tiered restores HotSpot's default.
case "${NEUROPLASTIC_JIT:-c1}" in
  c1) jit=(-XX:TieredStopAtLevel=1) ;;
  tiered) jit=() ;;
  *) echo "$(basename "$0"): NEUROPLASTIC_JIT is '${NEUROPLASTIC_JIT}'; expected c1 (the default) or tiered" >&2; exit 2 ;;
esac
