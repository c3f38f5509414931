"""Optuna's TPE sampler behind one JSON line per ask and per tell, for `bin/benchmark search`.

The benchmark runs this with `python3 -c` and writes to its stdin, one JSON object a line:
  {"op": "study", "seed": 3, "fix_5110": false, "space": [{"name": "x", "kind": "uniform", "low": -5.0, "high": 10.0}, ...]}
      a new study that minimises, with TPESampler(seed=3) and Optuna's defaults otherwise; no answer.
      With "fix_5110": true, the study's Parzen estimators score candidates with the truncated normal's
      log-density as Optuna's pull request 5110 corrected it (issue 5109): Optuna 3.1's leaves out the
      -log(scale) term, so its densities are not normalised. The rest of the sampler is the installed one.
  {"op": "ask"}                              answered by {"number": 0, "params": {"x": 1.5}}
  {"op": "tell", "number": 0, "value": 1.25} no answer
Kinds: uniform, log_uniform (FloatDistribution with log=True), int_uniform (IntDistribution).
"""
import json
import sys

import numpy as np
import optuna
from optuna.samplers._tpe import _truncnorm

optuna.logging.set_verbosity(optuna.logging.WARNING)

INSTALLED_LOGPDF = _truncnorm.logpdf


def normalised_logpdf(x, a, b, loc=0, scale=1):
    """The installed log-density shifted by -log(scale), pull request 5110's one-line change."""
    return INSTALLED_LOGPDF(x, a, b, loc, scale) - np.log(scale)


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
        # The Parzen estimator calls _truncnorm.logpdf through the module at every call.
        _truncnorm.logpdf = normalised_logpdf if message.get("fix_5110", False) else INSTALLED_LOGPDF
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
