"""Running Amma as a deployment and measuring it: the scaled-out setup on one
machine (scale_out.py), the process group it and the benchmark share
(stack.py), probes of running servers (probe.py), the benchmarks (bench.py,
bench_long_messages.py) and the values for Rasa's Helm charts (helm/)."""
