"""Optuna's TPE sampler behind one JSON line per ask and per tell, for `bin/benchmark search`.

The benchmark runs this with `python3 -c` and writes to its stdin, one JSON object a line:
  {"op": "study", "seed": 3, "space": [{"name": "x", "kind": "uniform", "low": -5.0, "high": 10.0}, ...]}
      a new study that minimises, with TPESampler(seed=3) and Optuna's defaults otherwise; no answer
  {"op": "ask"}                              answered by {"number": 0, "params": {"x": 1.5}}
  {"op": "tell", "number": 0, "value": 1.25} no answer
Kinds: uniform, log_uniform (FloatDistribution with log=True), int_uniform (IntDistribution).
"""
import json
import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def distribution(parameter):
    kind = parameter["kind"]
    if kind == "uniform":
        return optuna.distributions.FloatDistribution(parameter["low"], parameter["high"])
    if kind == "log_uniform":
        return optuna.distributions.FloatDistribution(parameter["low"], parameter["high"], log=True)
    if kind == "int_uniform":
        return optuna.distributions.IntDistribution(int(parameter["low"]), int(parameter["high"]))
    raise ValueError("unknown kind " + kind)


study = None
space = None
for line in sys.stdin:
    message = json.loads(line)
    if message["op"] == "study":
        sampler = optuna.samplers.TPESampler(seed=message["seed"])
        study = optuna.create_study(direction="minimize", sampler=sampler)
        space = {p["name"]: distribution(p) for p in message["space"]}
    elif message["op"] == "ask":
        trial = study.ask(space)
        print(json.dumps({"number": trial.number, "params": trial.params}), flush=True)
    elif message["op"] == "tell":
        study.tell(message["number"], message["value"])
    else:
        raise ValueError("unknown op " + message["op"])
