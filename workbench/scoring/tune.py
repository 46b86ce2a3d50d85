"""Seeded Optuna search over LightGBM hyperparameters (same seed → same trials → same result)."""
from __future__ import annotations

from collections.abc import Callable


def suggest_lgbm(trial) -> dict:
    """Return one point of the default LightGBM search space."""
    return {
        "learning_rate": trial.suggest_float("learning_rate", 0.02, 0.2, log=True),
        "num_leaves": trial.suggest_int("num_leaves", 7, 63),
        "min_data_in_leaf": trial.suggest_int("min_data_in_leaf", 5, 60),
        "feature_fraction": trial.suggest_float("feature_fraction", 0.5, 1.0),
        "lambda_l2": trial.suggest_float("lambda_l2", 1e-3, 10.0, log=True),
    }


def tune(objective: Callable[[dict], float], *, n_trials: int = 20, seed: int = 7,
         space: Callable = suggest_lgbm) -> tuple[dict, list[dict]]:
    """Return the best parameters (maximizing ``objective``) and every trial's params and value."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(direction="maximize", sampler=sampler)
    study.optimize(lambda t: objective(space(t)), n_trials=n_trials, n_jobs=1)
    trials = [{"number": t.number, "params": t.params, "value": t.value} for t in study.trials]
    return dict(study.best_params), trials
