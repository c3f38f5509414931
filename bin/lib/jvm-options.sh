# Sourced by bin/neuroplastic and bin/benchmark: the options of every JVM they start (the driver, and the
# executors of the clusters bin/neuroplastic starts), in the array `jvm_options`. deploy/spark-defaults.conf and
# the root pom's jvm.options (the test JVMs) carry the same options; DeployRecipeTest checks that they agree.
#
# The just-in-time compiler. A job's Java code is mostly Spark's and DL4J's orchestration, each piece run
# briefly, while the numerics run in ND4J's native code. HotSpot's optimizing compiler (C2) spent more CPU
# compiling that code than the trials spent training (a parallel sweep of 8 small trials: 12 s compiling, 9 s
# in the tasks), and on two cores it competes with a second trial in flight. The client compiler alone (C1,
# tier 1) compiles cheaply and trains as fast (`bin/benchmark jit` measures both side by side, and checks that
# the figures are the same to the last digit). NEUROPLASTIC_JIT=tiered restores HotSpot's default.
#
# JavaCPP's check of the process's resident memory, off (org.bytedeco.javacpp.maxPhysicalBytes=0). JavaCPP
# 1.5.7 reads the resident size from the operating system on every native pointer it registers, inside a
# JVM-wide lock (Pointer.deallocator), and ND4J registers several for each operation it runs: in a parallel
# sweep of small networks the read took a sixth of the training tasks' CPU samples, and two tasks in flight
# queued on the lock. What it guarded, a System.gc() when the resident size passes twice the heap, never
# happens in these jobs (a Fashion-MNIST training run peaks at the same 3.4 GB either way); JavaCPP's limit on
# the bytes it allocates (maxBytes, the heap size by default) still holds, and a container's memory is the
# cluster manager's memoryOverhead (deploy/spark-defaults.conf).
#
# The parallel garbage collector, unless NEUROPLASTIC_GC=g1 (the JVM's default). ND4J allocates short-lived
# objects for every operation it runs (pointers, shape buffers, each a reference the collector must process), so a
# job allocates hundreds of megabytes a second of garbage that dies young; G1's concurrent refinement and write
# barriers cost more than the parallel collector's young collections, and its heap grows larger. A batch job
# wants throughput, not short pauses (measured side by side in docs/BENCHMARKS.md, "Parallel sweeps").
case "${NEUROPLASTIC_JIT:-c1}" in
  c1) jvm_options=(-XX:TieredStopAtLevel=1) ;;
  tiered) jvm_options=() ;;
  *) echo "$(basename "$0"): NEUROPLASTIC_JIT is '${NEUROPLASTIC_JIT}'; expected c1 (the default) or tiered" >&2; exit 2 ;;
esac
jvm_options+=(-Dorg.bytedeco.javacpp.maxPhysicalBytes=0)
case "${NEUROPLASTIC_GC:-parallel}" in
  parallel) jvm_options+=(-XX:+UseParallelGC) ;;
  g1) ;;
  *) echo "$(basename "$0"): NEUROPLASTIC_GC is '${NEUROPLASTIC_GC}'; expected parallel (the default) or g1" >&2; exit 2 ;;
esac
